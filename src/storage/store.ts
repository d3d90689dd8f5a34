// ObjectStore: Kubernetes' storage.Interface semantics, written once over any Backend —
// resourceVersions from revisions, preconditions, guaranteedUpdate's compare-and-swap loop,
// consistent paginated lists with continue tokens, and watches as object events.

import type { KubeObject } from '../api/object.js';
import { realClock, type Clock, type Timer } from '../util/clock.js';
import type { Backend, BackendWatch, KeyValue, ListResult as BackendList } from './backend.js';
import { decodeObject, encodeObject, sameBytes } from './codec.js';
import { decodeContinue, encodeContinue, keyAfter } from './continue-token.js';
import { keyExists, keyNotFound, StorageError, tooLargeResourceVersion } from './errors.js';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  Store,
  TryUpdate,
  UpdateOptions,
  WatchEvent,
  WatchOptions,
  WatchStream,
} from './interface.js';
import { checkPreconditions } from './preconditions.js';
import { parseResourceVersion } from './resource-version.js';
import { EventQueue } from './watch-stream.js';
import { translateEvent } from './watch-events.js';

export interface ObjectStoreOptions {
  clock?: Clock;
  /** How often a watch with progressNotify gets a PROGRESS event (default 5 s). */
  progressIntervalMs?: number;
}

export class ObjectStore implements Store {
  private readonly clock: Clock;
  private readonly progressIntervalMs: number;

  constructor(
    readonly backend: Backend,
    options: ObjectStoreOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.progressIntervalMs = options.progressIntervalMs ?? 5000;
  }

  async create<T extends KubeObject>(key: string, obj: T): Promise<T> {
    if (obj.metadata?.resourceVersion) {
      throw new StorageError('InvalidArgument', 'resourceVersion should not be set on objects to be created', key);
    }
    const value = encodeObject(key, obj);
    const result = await this.backend.create(key, value);
    if (!result.ok) throw keyExists(key);
    return withRevision(obj, result.revision);
  }

  async get<T extends KubeObject>(key: string, options: GetOptions = {}): Promise<T> {
    const minimum = parseResourceVersion(options.resourceVersion);
    const { kv, revision } = await this.backend.get(key);
    if (minimum && revision < minimum) throw tooLargeResourceVersion(minimum, revision);
    if (!kv) throw keyNotFound(key);
    return decodeObject<T>(key, kv.value, kv.modRevision);
  }

  async list<T extends KubeObject>(prefix: string, options: ListOptions<T> = {}): Promise<ListResult<T>> {
    let revision: number | undefined;
    let minimum: number | undefined;
    let startKey = prefix;
    if (options.continue) {
      ({ revision, startKey } = decodeContinue(prefix, options.continue));
    } else {
      const rv = parseResourceVersion(options.resourceVersion);
      if (options.resourceVersionMatch === 'Exact') {
        if (!rv) throw new StorageError('InvalidArgument', 'resourceVersionMatch=Exact needs a resourceVersion other than "" and "0"');
        revision = rv;
      } else {
        minimum = rv;
      }
    }
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const predicate = options.predicate;
    const items: T[] = [];
    let page: BackendList;
    let more: boolean;
    let resumeAt: string | undefined;
    for (;;) {
      // With a predicate, read ahead in pages until `limit` objects match (as Kubernetes does).
      const fetch = limit === 0 ? 0 : predicate ? Math.max(limit, 64) : limit;
      page = await this.backend.list(prefix, { revision, startKey, limit: fetch });
      if (revision === undefined) {
        revision = page.revision;
        if (minimum && revision < minimum) throw tooLargeResourceVersion(minimum, revision);
      }
      more = page.count > page.kvs.length;
      resumeAt = undefined;
      for (let i = 0; i < page.kvs.length; i++) {
        const kv = page.kvs[i] as KeyValue;
        const obj = decodeObject<T>(kv.key, kv.value, kv.modRevision);
        if (!predicate || predicate(obj)) items.push(obj);
        if (limit > 0 && items.length === limit) {
          if (i < page.kvs.length - 1) more = true;
          resumeAt = keyAfter(kv.key);
          break;
        }
      }
      const last = page.kvs[page.kvs.length - 1];
      if (resumeAt === undefined && last) resumeAt = keyAfter(last.key);
      if (!more || limit === 0 || items.length === limit) break;
      startKey = resumeAt as string;
    }
    const result: ListResult<T> = { items, resourceVersion: String(revision) };
    if (more && resumeAt !== undefined) {
      result.continue = encodeContinue(prefix, { revision, startKey: resumeAt });
      if (!predicate) result.remainingItemCount = page.count - page.kvs.length;
    }
    return result;
  }

  count(prefix: string): Promise<number> {
    return this.backend.count(prefix);
  }

  async delete<T extends KubeObject>(key: string, options: DeleteOptions<T> = {}): Promise<T> {
    let { kv } = await this.backend.get(key);
    for (;;) {
      if (!kv) throw keyNotFound(key);
      const current = decodeObject<T>(key, kv.value, kv.modRevision);
      checkPreconditions(key, options.preconditions, current);
      await options.validateDeletion?.(current);
      const result = await this.backend.delete(key, kv.modRevision);
      if (result.ok) return current;
      kv = result.current;
    }
  }

  async guaranteedUpdate<T extends KubeObject>(
    key: string,
    tryUpdate: TryUpdate<T>,
    options: UpdateOptions & { create?: () => T | Promise<T> } = {},
  ): Promise<T> {
    let { kv } = await this.backend.get(key);
    for (;;) {
      if (!kv) {
        if (!options.create) throw keyNotFound(key);
        const obj = await options.create();
        const created = await this.backend.create(key, encodeObject(key, obj));
        if (created.ok) return withRevision(obj, created.revision);
        kv = created.current;
        continue;
      }
      const current = decodeObject<T>(key, kv.value, kv.modRevision);
      checkPreconditions(key, options.preconditions, current);
      const next = await tryUpdate(current);
      const value = encodeObject(key, next);
      if (sameBytes(value, kv.value)) return decodeObject<T>(key, kv.value, kv.modRevision);
      const result = await this.backend.update(key, value, kv.modRevision);
      if (result.ok) return withRevision(next, result.revision);
      kv = result.current;
    }
  }

  async watch<T extends KubeObject>(key: string, options: WatchOptions<T> = {}): Promise<WatchStream<T>> {
    const recursive = options.recursive ?? key.endsWith('/');
    const predicate = options.predicate ?? (() => true);
    let backendWatch: BackendWatch | undefined;
    let progressTimer: Timer | undefined;
    const queue = new EventQueue<WatchEvent<T>>(() => {
      backendWatch?.stop();
      progressTimer?.cancel();
    });

    let after = parseResourceVersion(options.resourceVersion);
    if (!after) {
      // "" and "0": the current state as ADDED events, then every change after it.
      const initial = recursive ? await this.backend.list(key) : await this.backend.get(key);
      after = initial.revision;
      const kvs = 'kvs' in initial ? initial.kvs : initial.kv ? [initial.kv] : [];
      for (const kv of kvs) {
        const object = decodeObject<T>(kv.key, kv.value, kv.modRevision);
        if (predicate(object)) queue.push({ type: 'ADDED', object, revision: kv.modRevision });
      }
    }
    backendWatch = await this.backend.watch(
      key,
      { afterRevision: after, prefix: recursive },
      {
        onEvents: (events) => {
          try {
            for (const event of events) {
              const translated = translateEvent(event, predicate);
              if (translated) queue.push(translated);
            }
          } catch (err) {
            queue.end(err);
          }
        },
        onProgress: (revision) => queue.push({ type: 'PROGRESS', revision }),
        onError: (err) => queue.end(err),
      },
    );
    if (queue.closed) backendWatch.stop();
    const watch = backendWatch;
    if (options.progressNotify) {
      progressTimer = this.clock.setInterval(() => watch.requestProgress(), this.progressIntervalMs);
    }
    return {
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      requestProgress: () => watch.requestProgress(),
      stop: () => queue.end(),
    };
  }

  async currentResourceVersion(): Promise<string> {
    return String(await this.backend.currentRevision());
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

function withRevision<T extends KubeObject>(obj: T, revision: number): T {
  return { ...obj, metadata: { ...(obj.metadata ?? {}), resourceVersion: String(revision) } };
}
