// A Store seen through a StorageConversion: a served version whose objects live in another
// version's storage (the same keys). Objects are converted on every way in and out — writes,
// reads, lists, watch events and the read-modify-write of guaranteedUpdate — and copied first, so
// the watch cache's objects are never changed.

import type { KubeObject } from '../../api/object.js';
import type { ListOptions, ListResult, Store, TryUpdate, UpdateOptions, WatchEvent, WatchOptions, WatchStream, DeleteOptions, GetOptions } from '../../storage/interface.js';
import type { StorageConversion } from './resource.js';

export function convertingStore(inner: Store, conv: StorageConversion): Store {
  const out = <T extends KubeObject>(obj: KubeObject): T => conv.fromStorage(structuredClone(obj)) as T;
  const into = (obj: KubeObject): KubeObject => conv.toStorage(structuredClone(obj));
  const event = <T extends KubeObject>(e: WatchEvent<KubeObject>): WatchEvent<T> =>
    e.type === 'PROGRESS' ? e : { type: e.type, revision: e.revision, object: out<T>(e.object), ...(e.prevObject ? { prevObject: out<T>(e.prevObject) } : {}) };
  return {
    create: async <T extends KubeObject>(key: string, obj: T) => out<T>(await inner.create(key, into(obj))),
    get: async <T extends KubeObject>(key: string, options?: GetOptions) => out<T>(await inner.get(key, options)),
    list: async <T extends KubeObject>(prefix: string, options: ListOptions<T> = {}): Promise<ListResult<T>> => {
      const { predicate, ...rest } = options;
      const result = await inner.list<KubeObject>(prefix, { ...rest, ...(predicate ? { predicate: (o: KubeObject) => predicate(out<T>(o)) } : {}) });
      return { ...result, items: result.items.map((o) => out<T>(o)) };
    },
    count: (prefix) => inner.count(prefix),
    delete: async <T extends KubeObject>(key: string, options: DeleteOptions<T> = {}) => {
      const { validateDeletion, ...rest } = options;
      return out<T>(await inner.delete<KubeObject>(key, { ...rest, ...(validateDeletion ? { validateDeletion: (o: KubeObject) => validateDeletion(out<T>(o)) } : {}) }));
    },
    guaranteedUpdate: async <T extends KubeObject>(key: string, tryUpdate: TryUpdate<T>, options?: UpdateOptions & { create?: () => T | Promise<T> }) => {
      const create = options?.create;
      const stored = await inner.guaranteedUpdate<KubeObject>(key, async (current) => into(await tryUpdate(out<T>(current))), {
        ...options,
        ...(create ? { create: async () => into(await create()) } : {}),
      });
      return out<T>(stored);
    },
    watch: async <T extends KubeObject>(key: string, options: WatchOptions<T> = {}): Promise<WatchStream<T>> => {
      const { predicate, ...rest } = options;
      const stream = await inner.watch<KubeObject>(key, { ...rest, ...(predicate ? { predicate: (o: KubeObject) => predicate(out<T>(o)) } : {}) });
      return {
        requestProgress: () => stream.requestProgress(),
        stop: () => stream.stop(),
        async *[Symbol.asyncIterator]() {
          for await (const e of stream) yield event<T>(e);
        },
      };
    },
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
  };
}
