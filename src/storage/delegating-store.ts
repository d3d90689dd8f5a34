// A Store that forwards every call to another Store: the base of stores that change a few calls
// and pass the rest through (the API server's watch cache, test spies).

import type { KubeObject } from '../api/object.js';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  Store,
  TryUpdate,
  UpdateOptions,
  WatchOptions,
  WatchStream,
} from './interface.js';

export class DelegatingStore implements Store {
  constructor(readonly inner: Store) {}

  create<T extends KubeObject>(key: string, obj: T): Promise<T> {
    return this.inner.create(key, obj);
  }

  get<T extends KubeObject>(key: string, options?: GetOptions): Promise<T> {
    return this.inner.get(key, options);
  }

  list<T extends KubeObject>(prefix: string, options?: ListOptions<T>): Promise<ListResult<T>> {
    return this.inner.list(prefix, options);
  }

  count(prefix: string): Promise<number> {
    return this.inner.count(prefix);
  }

  delete<T extends KubeObject>(key: string, options?: DeleteOptions<T>): Promise<T> {
    return this.inner.delete(key, options);
  }

  guaranteedUpdate<T extends KubeObject>(
    key: string,
    tryUpdate: TryUpdate<T>,
    options?: UpdateOptions & { create?: () => T | Promise<T> },
  ): Promise<T> {
    return this.inner.guaranteedUpdate(key, tryUpdate, options);
  }

  watch<T extends KubeObject>(key: string, options?: WatchOptions<T>): Promise<WatchStream<T>> {
    return this.inner.watch(key, options);
  }

  currentResourceVersion(): Promise<string> {
    return this.inner.currentResourceVersion();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
