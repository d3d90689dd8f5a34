// CachingStore: kube-apiserver's watch cache for Kite — a Store that wraps another and serves the
// reads of registered resource prefixes from memory, so N watchers of a resource cost one inner
// watch and lists cost no store round-trip.
//
//   writes (create, guaranteedUpdate, delete), count, currentResourceVersion → the inner store
//   get      RV "0" → cache; otherwise → inner
//   list     RV "0" → cache at once; "" (consistent) → cache once it has caught up with the inner
//            store's current revision (≤ freshnessTimeoutMs, else inner); N (NotOlderThan) → cache
//            once it reaches N (≤ freshnessTimeoutMs, else inner, which refuses a future N with
//            TooLargeResourceVersion); Exact, a continue token or a limit → inner (continue tokens
//            are the inner store's, and stay valid there)
//   watch    "0" → current state as ADDED, then changes; "" → the same once the cache has caught up;
//            N → buffered changes after N, then live; N older than the window → Expired (410)
//   keys under no registered prefix, or a cache not ready within readyTimeoutMs → the inner store
//
// Objects handed out by the cache are shared by every reader: callers must not mutate them
// (freezeObjects: true makes a violation throw; the API server's paths only copy or serialize).

import type { KubeObject } from '../../api/object.js';
import { DelegatingStore } from '../../storage/delegating-store.js';
import { keyNotFound } from '../../storage/errors.js';
import type {
  GetOptions,
  ListOptions,
  ListResult,
  Store,
  WatchOptions,
  WatchStream,
} from '../../storage/interface.js';
import { parseResourceVersion } from '../../storage/resource-version.js';
import { realClock, type Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { Cacher, type CacherOptions, type CacherStats } from './cacher.js';

export interface CachingStoreOptions {
  clock?: Clock;
  logger?: Logger;
  /** Events each resource keeps for watches from an older resourceVersion (default 10,000). */
  bufferSize?: number;
  /** Live events a watcher's consumer may leave unread before it is ended (default 10,000). */
  maxWatcherBacklog?: number;
  /** How long a read waits for the cache to catch up before asking the inner store (default 3 s). */
  freshnessTimeoutMs?: number;
  /** How long a request waits for a cache still filling before asking the inner store (default 3 s). */
  readyTimeoutMs?: number;
  /** The store key of an object (default: prefix + "namespace/" when namespaced + name — the
   *  layout of registry/keys.ts). */
  keyOf?: (prefix: string, obj: KubeObject) => string;
  /** Deep-freeze cached objects so any mutation by a caller throws (tests; default false). */
  freezeObjects?: boolean;
  /** Backoff for re-opening a failed inner watch (default 100 ms doubling to 5 s). */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How often to ask for progress while reads wait for freshness (default 100 ms). */
  progressRequestIntervalMs?: number;
  /** Watchers with progressNotify get a bookmark whenever the inner watch reports progress (at
   *  the inner store's interval), but at most this often (default 1 s). */
  minBookmarkIntervalMs?: number;
}

/** The default key layout: <prefix><namespace>/<name>, or <prefix><name> when cluster-scoped. */
export const defaultKeyOf = (prefix: string, obj: KubeObject): string => {
  const { namespace, name } = obj.metadata ?? {};
  return namespace ? `${prefix}${namespace}/${name ?? ''}` : `${prefix}${name ?? ''}`;
};

type AnyPredicate = (obj: KubeObject) => boolean;

export class CachingStore extends DelegatingStore {
  private readonly cachers = new Map<string, Cacher>();
  private readonly cacherOptions: CacherOptions;
  private readonly clock: Clock;
  private readonly freshnessTimeoutMs: number;
  private readonly readyTimeoutMs: number;

  constructor(inner: Store, options: CachingStoreOptions = {}) {
    super(inner);
    this.clock = options.clock ?? realClock;
    this.freshnessTimeoutMs = options.freshnessTimeoutMs ?? 3000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 3000;
    this.cacherOptions = {
      clock: this.clock,
      logger: options.logger,
      bufferSize: options.bufferSize ?? 10_000,
      maxWatcherBacklog: options.maxWatcherBacklog ?? 10_000,
      keyOf: options.keyOf ?? defaultKeyOf,
      freezeObjects: options.freezeObjects ?? false,
      retryInitialMs: options.retryInitialMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 5000,
      progressRequestIntervalMs: options.progressRequestIntervalMs ?? 100,
      minBookmarkIntervalMs: options.minBookmarkIntervalMs ?? 1000,
    };
  }

  /** Serves the reads of keys under `prefix` (e.g. "/registry/pods/") from a cache, starting to
   *  fill it now. Idempotent. The prefix must end with "/". */
  cache(prefix: string): void {
    if (!prefix.endsWith('/')) throw new Error(`watch cache prefix must end with "/": ${prefix}`);
    if (this.cachers.has(prefix)) return;
    const cacher = new Cacher(prefix, this.inner, this.cacherOptions);
    this.cachers.set(prefix, cacher);
    cacher.start();
  }

  /** Stops caching `prefix` (e.g. a CustomResourceDefinition was deleted): its watchers end and
   *  its reads go to the inner store again. */
  uncache(prefix: string): void {
    const cacher = this.cachers.get(prefix);
    if (!cacher) return;
    this.cachers.delete(prefix);
    cacher.stop();
  }

  /** Resolves true once every registered cache is filled (false after timeoutMs). */
  async ready(timeoutMs = this.readyTimeoutMs): Promise<boolean> {
    const results = await Promise.all([...this.cachers.values()].map((c) => c.waitReady(timeoutMs)));
    return results.every(Boolean);
  }

  stats(): CacherStats[] {
    return [...this.cachers.values()].map((c) => c.stats());
  }






  override async get<T extends KubeObject>(key: string, options: GetOptions = {}): Promise<T> {
    const cacher = this.cacherFor(key);
    if (!cacher || options.resourceVersion !== '0' || !(await cacher.waitReady(this.readyTimeoutMs))) {
      return this.inner.get(key, options);
    }
    const obj = cacher.get(key);
    if (obj === undefined) return this.inner.get(key, options);
    if (obj === null) throw keyNotFound(key);
    return obj as T;
  }

  override async list<T extends KubeObject>(prefix: string, options: ListOptions<T> = {}): Promise<ListResult<T>> {
    const cacher = this.cacherFor(prefix);
    if (!cacher || options.continue || (options.limit ?? 0) > 0 || options.resourceVersionMatch === 'Exact') {
      return this.inner.list(prefix, options);
    }
    const rv = parseResourceVersion(options.resourceVersion);
    if (!(await this.caughtUp(cacher, rv))) return this.inner.list(prefix, options);
    const result = cacher.list(prefix, options.predicate as AnyPredicate | undefined);
    return result ? (result as ListResult<T>) : this.inner.list(prefix, options);
  }

  override async watch<T extends KubeObject>(key: string, options: WatchOptions<T> = {}): Promise<WatchStream<T>> {
    const cacher = this.cacherFor(key);
    if (!cacher) return this.inner.watch(key, options);
    const rv = parseResourceVersion(options.resourceVersion);
    // "" means the latest state: the cache must first catch up with the store, as for a list. A
    // watch from N needs no wait: changes up to N are skipped however far the cache has got.
    if (!(await this.caughtUp(cacher, rv === undefined ? undefined : 0))) return this.inner.watch(key, options);
    const stream = cacher.watch(key, {
      recursive: options.recursive ?? key.endsWith('/'),
      predicate: options.predicate as AnyPredicate | undefined,
      progressNotify: options.progressNotify ?? false,
      from: rv ? rv : 'now',
    });
    return stream ? (stream as unknown as WatchStream<T>) : this.inner.watch(key, options);
  }

  /** Stops every cache, then closes the inner store. */
  override async close(): Promise<void> {
    for (const cacher of this.cachers.values()) cacher.stop();
    this.cachers.clear();
    await this.inner.close();
  }

  /** The cacher of the longest registered prefix covering `key`. */
  private cacherFor(key: string): Cacher | undefined {
    let best: Cacher | undefined;
    for (const [prefix, cacher] of this.cachers) {
      if (key.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = cacher;
    }
    return best;
  }

  /** Waits until the cache may serve a read at `rv` (undefined: the store's latest; 0: any; N: not
   *  older than N); false when it did not get there in time. */
  private async caughtUp(cacher: Cacher, rv: number | undefined): Promise<boolean> {
    if (!(await cacher.waitReady(this.readyTimeoutMs))) return false;
    if (rv === 0) return true;
    const target = rv ?? Number(await this.inner.currentResourceVersion());
    return cacher.waitFresh(target, this.freshnessTimeoutMs);
  }
}
