// SharedIndexInformer (client-go's cache.SharedIndexInformer): one reflector per resource feeding
// one cache (an Indexer), and any number of event handlers sharing them. Every controller in a
// process that cares about a resource registers its handlers here (via SharedInformerFactory)
// instead of opening its own list+watch.
//
// - The first list fills the cache and delivers onAdd(obj, true); hasSynced() turns true and
//   waitForSync() resolves once it has been delivered.
// - Watch events update the cache, then call handlers: ADDED/MODIFIED → onAdd or onUpdate(old,
//   new) (by whether the cache held the object), DELETED → onDelete(final state).
// - A relist (after 410 Gone, or a restart of the watch from scratch) replaces the cache: objects
//   still there → onUpdate(old, new); new ones → onAdd; ones gone → onDelete with a
//   DeletedFinalStateUnknown tombstone holding the last known state.
// - Resync: every resync period (per handler; default the informer's) each cached object is
//   re-delivered as onUpdate(obj, obj), so level-triggered controllers re-check everything.
// Handlers only enqueue (see handlers.ts): they run synchronously, after the cache is updated.

import type { KubeObject } from '../../api/object.js';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import type { SelectorInput } from '../rest/options.js';
import type { HandlerRegistration, ResourceEventHandler } from './handlers.js';
import { Indexer, NAMESPACE_INDEX, metaNamespaceKeyFunc, namespaceIndexFunc, type Indexers, type KeyFunc } from './indexer.js';
import { Lister } from './lister.js';
import { Reflector, type ListerWatcher, type ReflectorSink, type ReflectorStats } from './reflector.js';
import { DeletedFinalStateUnknown } from './tombstone.js';

export interface SharedInformerOptions<T extends KubeObject> {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Default resync period of handlers in ms; 0 (default) disables resync. */
  resyncPeriodMs?: number;
  /** Indexes besides the namespace index (which is always there). */
  indexers?: Indexers<T>;
  keyFunc?: KeyFunc<T>;
  /** List page size; default 500. */
  pageSize?: number;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  minWatchTimeoutSeconds?: number;
  /** Backoff for failed lists and watches; default 800 ms doubling to 30 s. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface WaitForSyncOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Registration<T extends KubeObject> extends HandlerRegistration {
  handler: ResourceEventHandler<T>;
  resyncPeriodMs: number;
  timer: Timer | undefined;
  active: boolean;
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> {
  readonly indexer: Indexer<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly reflector: Reflector<T>;
  private readonly resyncPeriodMs: number;
  private registrations: Registration<T>[] = [];
  private synced = false;
  private started = false;
  private stopped = false;
  private waiters = new Set<() => void>();

  constructor(lw: ListerWatcher<T>, options: SharedInformerOptions<T> = {}) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? silentLogger;
    this.resyncPeriodMs = options.resyncPeriodMs ?? 0;
    this.indexer = new Indexer<T>(options.keyFunc ?? metaNamespaceKeyFunc, { [NAMESPACE_INDEX]: namespaceIndexFunc, ...options.indexers });
    const sink: ReflectorSink<T> = {
      replace: (items) => this.onReplace(items),
      add: (obj) => this.onUpsert(obj),
      update: (obj) => this.onUpsert(obj),
      delete: (obj) => this.onRemove(obj),
    };
    this.reflector = new Reflector<T>(lw, sink, {
      clock: this.clock,
      logger: this.logger,
      ...(options.random ? { random: options.random } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.labelSelector !== undefined ? { labelSelector: options.labelSelector } : {}),
      ...(options.fieldSelector !== undefined ? { fieldSelector: options.fieldSelector } : {}),
      ...(options.minWatchTimeoutSeconds !== undefined ? { minWatchTimeoutSeconds: options.minWatchTimeoutSeconds } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
  }

  /** The cache. Read it; never mutate objects in it. */
  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  /** A lister over the cache. */
  lister(): Lister<T> {
    return new Lister<T>(this.indexer);
  }

  /** Adds indexes (also after start: existing objects are filed under them). */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /**
   * Registers a handler. If the informer already holds objects, the handler first gets onAdd for
   * each (isInInitialList true), synchronously. resyncPeriodMs overrides the informer's default.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options: { resyncPeriodMs?: number } = {}): HandlerRegistration {
    const reg: Registration<T> = {
      handler,
      resyncPeriodMs: options.resyncPeriodMs ?? this.resyncPeriodMs,
      timer: undefined,
      active: true,
      hasSynced: () => reg.active && this.synced,
      remove: () => this.removeRegistration(reg),
    };
    this.registrations.push(reg);
    if (this.synced) for (const obj of this.indexer.list()) this.call('onAdd', () => handler.onAdd?.(obj, true));
    if (this.started && !this.stopped) this.startResync(reg);
    return reg;
  }

  /** Starts the list and watch (once; an informer cannot be restarted after stop). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const reg of this.registrations) this.startResync(reg);
    this.reflector.start();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops watching and resyncing; resolves once the reflector has ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const reg of this.registrations) {
      reg.timer?.cancel();
      reg.timer = undefined;
    }
    for (const w of this.waiters) w();
    this.waiters.clear();
    await this.reflector.stop();
  }

  /** True once the first list has been delivered to the cache and the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced; false if the timeout passes, the signal aborts or the informer stops first. */
  waitForSync(options: WaitForSyncOptions = {}): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || options.signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const done = () => {
        this.waiters.delete(done);
        timer?.cancel();
        options.signal?.removeEventListener('abort', done);
        resolve(this.synced);
      };
      this.waiters.add(done);
      if (options.timeoutMs !== undefined) timer = this.clock.setTimeout(done, options.timeoutMs);
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** The resourceVersion the cache reflects ("" before the first list). */
  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  /** Lists, watches, relists and errors so far. */
  stats(): Readonly<ReflectorStats> {
    return { ...this.reflector.stats };
  }

  private onReplace(items: T[]): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = this.indexer.keyFunc(obj);
      seen.add(key);
      const old = this.indexer.getByKey(key);
      this.indexer.update(obj);
      if (old !== undefined) this.dispatch('onUpdate', (h) => h.onUpdate?.(old, obj));
      else this.dispatch('onAdd', (h) => h.onAdd?.(obj, initial));
    }
    for (const key of this.indexer.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.getByKey(key)!;
      this.indexer.deleteKey(key);
      const tombstone = new DeletedFinalStateUnknown<T>(key, old);
      this.dispatch('onDelete', (h) => h.onDelete?.(tombstone));
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of [...this.waiters]) w();
    }
  }

  private onUpsert(obj: T): void {
    const old = this.indexer.get(obj);
    this.indexer.update(obj);
    if (old !== undefined) this.dispatch('onUpdate', (h) => h.onUpdate?.(old, obj));
    else this.dispatch('onAdd', (h) => h.onAdd?.(obj, false));
  }

  private onRemove(obj: T): void {
    this.indexer.delete(obj);
    this.dispatch('onDelete', (h) => h.onDelete?.(obj));
  }

  private dispatch(what: string, fn: (h: ResourceEventHandler<T>) => void): void {
    for (const reg of [...this.registrations]) {
      if (reg.active) this.call(what, () => fn(reg.handler));
    }
  }

  private call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error(`event handler ${what} failed`, { error: err as Error });
    }
  }

  private startResync(reg: Registration<T>): void {
    if (reg.resyncPeriodMs <= 0 || reg.timer || !reg.active) return;
    reg.timer = this.clock.setInterval(() => {
      if (!this.synced || this.stopped || !reg.active) return;
      for (const obj of this.indexer.list()) this.call('onUpdate', () => reg.handler.onUpdate?.(obj, obj));
    }, reg.resyncPeriodMs);
  }

  private removeRegistration(reg: Registration<T>): void {
    reg.active = false;
    reg.timer?.cancel();
    reg.timer = undefined;
    this.registrations = this.registrations.filter((r) => r !== reg);
  }
}
