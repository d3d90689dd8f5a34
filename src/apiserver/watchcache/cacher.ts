// The cache of one resource prefix (Kubernetes' Cacher + watchCache): one watch on the inner store
// keeps the current objects, a bounded window of recent events and the latest revision seen, and
// serves any number of lists and watches from memory.
//
// Lifecycle: list at latest → fill → watch the inner store from the list's revision (with progress
// notifications, so an idle resource's revision still advances). A watch that ends or fails is
// re-opened from the last revision seen, which bridges the gap without a relist. Only when the
// inner store cannot replay from there (Expired: compacted) does the cache relist; its watchers are
// then ended with Expired (410 Gone), since events between their position and the new list are
// lost, and their clients list and watch again.

import type { KubeObject } from '../../api/object.js';
import { isStorageError, StorageError } from '../../storage/errors.js';
import type { ListResult, Store, WatchEvent, WatchStream } from '../../storage/interface.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { CacheWatcher, type CachedEvent, type WatcherEnd } from './cache-watcher.js';
import { EventRing } from './event-ring.js';
import { SortedKeys } from './sorted-keys.js';
import { WatcherIndex } from './watcher-index.js';

export interface CacherOptions {
  clock: Clock;
  logger?: Logger;
  /** Events kept for watches that start at an older resourceVersion. */
  bufferSize: number;
  /** Live events a watcher's consumer may leave unread before the watcher is ended. */
  maxWatcherBacklog: number;
  /** The store key of an object of this prefix. */
  keyOf: (prefix: string, obj: KubeObject) => string;
  /** Deep-freeze cached objects, so a caller that mutates one fails loudly (for tests). */
  freezeObjects: boolean;
  /** Delay before re-opening a failed inner watch, doubling up to retryMaxMs. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** While reads wait for the cache to catch up: how often to ask the inner watch for progress. */
  progressRequestIntervalMs: number;
  /** Periodic bookmarks reach watchers at most this often, however often the inner watch reports
   *  progress (reads waiting for freshness make it report more often). */
  minBookmarkIntervalMs: number;
}

export interface CacheWatchSpec {
  recursive: boolean;
  predicate?: (obj: KubeObject) => boolean;
  progressNotify: boolean;
  /** 'now': the current state as ADDED events, then changes; N: the changes after revision N. */
  from: number | 'now';
}

export interface CacherStats {
  prefix: string;
  ready: boolean;
  /** The revision the cache is complete up to. */
  resourceVersion: number;
  objects: number;
  bufferedEvents: number;
  /** Watches may start at this revision or later; older ones get Expired. */
  oldestWatchable: number;
  watchers: number;
  /** Inner store watches opened, in total (one per (re)start). */
  innerWatches: number;
  relists: number;
  slowWatchersEnded: number;
}

interface FreshWaiter {
  revision: number;
  done(ok: boolean): void;
}

export class Cacher {
  private objects = new Map<string, KubeObject>();
  private readonly keys = new SortedKeys();
  private readonly events: EventRing<CachedEvent>;
  private readonly watchers = new WatcherIndex();
  /** The window replays every change after this revision. */
  private replayFrom = 0;
  private revision = 0;
  private isReady = false;
  private stopped = false;
  private inner?: WatchStream<KubeObject>;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pollingForFirstWrite = false;
  private readonly readyWaiters = new Set<(ok: boolean) => void>();
  private readonly freshWaiters = new Set<FreshWaiter>();
  private progressTimer?: Timer;
  private lastBookmarkAt = -Infinity;
  private readonly counters = { innerWatches: 0, relists: 0, slowWatchersEnded: 0 };

  constructor(
    readonly prefix: string,
    private readonly store: Store,
    private readonly options: CacherOptions,
  ) {
    this.events = new EventRing<CachedEvent>(options.bufferSize);
  }

  /** Starts filling the cache (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  get ready(): boolean {
    return this.isReady;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  stats(): CacherStats {
    return {
      prefix: this.prefix,
      ready: this.isReady,
      resourceVersion: this.revision,
      objects: this.objects.size,
      bufferedEvents: this.events.length,
      oldestWatchable: this.replayFrom,
      watchers: this.watchers.size,
      ...this.counters,
    };
  }

  /** Resolves true once the cache is filled, false after timeoutMs or when stopped. */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    // Waiting for the first write? Look again now rather than at the next poll.
    if (this.pollingForFirstWrite) this.wake?.();
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        timer.cancel();
        this.readyWaiters.delete(done);
        resolve(ok);
      };
      const timer = this.options.clock.setTimeout(() => done(false), timeoutMs);
      this.readyWaiters.add(done);
    });
  }

  /** Resolves true once the cache is ready and complete up to `revision`; false after timeoutMs.
   *  While waiting, asks the inner watch for progress so an idle resource catches up at once. */
  waitFresh(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.isReady && this.revision >= revision) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: FreshWaiter = {
        revision,
        done: (ok) => {
          timer.cancel();
          this.freshWaiters.delete(waiter);
          if (this.freshWaiters.size === 0) {
            this.progressTimer?.cancel();
            this.progressTimer = undefined;
          }
          resolve(ok);
        },
      };
      const timer = this.options.clock.setTimeout(() => waiter.done(false), timeoutMs);
      this.freshWaiters.add(waiter);
      this.inner?.requestProgress();
      this.progressTimer ??= this.options.clock.setInterval(() => this.inner?.requestProgress(), this.options.progressRequestIntervalMs);
    });
  }

  /** Objects under `prefix` (in key order) matching `predicate`; undefined while not ready. */
  list(prefix: string, predicate?: (obj: KubeObject) => boolean): ListResult<KubeObject> | undefined {
    if (!this.isReady) return undefined;
    const items: KubeObject[] = [];
    for (const key of this.keys.withPrefix(prefix)) {
      const obj = this.objects.get(key) as KubeObject;
      if (!predicate || predicate(obj)) items.push(obj);
    }
    return { items, resourceVersion: String(this.revision) };
  }

  /** The cached object at `key` (null when absent); undefined while not ready. */
  get(key: string): KubeObject | null | undefined {
    if (!this.isReady) return undefined;
    return this.objects.get(key) ?? null;
  }

  /** Opens a watch served from the cache; undefined while not ready. Throws Expired when `from`
   *  is older than the window. The initial state or replay is queued before this returns. */
  watch(key: string, spec: CacheWatchSpec): WatchStream<KubeObject> | undefined {
    if (!this.isReady) return undefined;
    const { from } = spec;
    if (from !== 'now' && from < this.replayFrom) {
      throw new StorageError('Expired', `too old resource version: ${from} (${this.replayFrom})`, key, this.replayFrom, { requested: from });
    }
    const watcher = new CacheWatcher(
      {
        key,
        recursive: spec.recursive,
        predicate: spec.predicate,
        progressNotify: spec.progressNotify,
        after: from === 'now' ? this.revision : from,
        maxBacklog: this.options.maxWatcherBacklog,
      },
      {
        onEnd: (w, why) => this.onWatcherEnd(w, why),
        onRequestProgress: () => this.inner?.requestProgress(),
      },
    );
    if (from === 'now') {
      const keys = spec.recursive ? this.keys.withPrefix(key) : this.objects.has(key) ? [key] : [];
      for (const k of keys) {
        const obj = this.objects.get(k) as KubeObject;
        watcher.initial(obj, Number(obj.metadata?.resourceVersion ?? this.revision));
      }
    } else {
      for (const event of this.events.after(from)) if (watcher.matchesKey(event.key)) watcher.deliver(event);
    }
    watcher.arm();
    if (!watcher.closed) this.watchers.add(watcher);
    return watcher.stream;
  }

  /** Stops the inner watch and ends every watcher. The fill loop exits on its own (an inner call
   *  already under way finishes first); stop() does not wait for it. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.isReady = false;
    this.inner?.stop();
    this.wake?.();
    for (const watcher of [...this.watchers.all()]) watcher.end();
    for (const waiter of [...this.freshWaiters]) waiter.done(false);
    for (const done of [...this.readyWaiters]) done(false);
  }

  private async run(): Promise<void> {
    const { retryInitialMs, retryMaxMs } = this.options;
    let backoff = retryInitialMs;
    while (!this.stopped) {
      try {
        if (!this.isReady && !(await this.relist())) {
          // Nothing was ever written (revision 0): there is no revision to watch after yet.
          this.pollingForFirstWrite = true;
          await this.sleep(retryInitialMs);
          this.pollingForFirstWrite = false;
          continue;
        }
        const stream = await this.store.watch<KubeObject>(this.prefix, {
          resourceVersion: String(this.revision),
          recursive: true,
          progressNotify: true,
        });
        this.counters.innerWatches++;
        if (this.stopped) {
          stream.stop();
          break;
        }
        this.inner = stream;
        backoff = retryInitialMs;
        for await (const event of stream) this.apply(event);
        this.options.logger?.debug('inner watch ended; re-watching', { prefix: this.prefix, after: this.revision });
      } catch (err) {
        if (this.stopped) break;
        if (isStorageError(err, 'Expired')) {
          this.options.logger?.warn('inner watch expired; relisting', { prefix: this.prefix, after: this.revision });
          this.invalidate();
        } else {
          this.options.logger?.warn('inner watch failed; re-watching', { prefix: this.prefix, after: this.revision, error: err });
        }
      } finally {
        this.inner = undefined;
      }
      if (this.stopped) break;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, retryMaxMs);
    }
  }

  /** Replaces the cache with a list at the latest revision; false when the store is at revision 0. */
  private async relist(): Promise<boolean> {
    const list = await this.store.list<KubeObject>(this.prefix);
    const revision = Number(list.resourceVersion);
    if (this.stopped || revision === 0) return false;
    this.counters.relists++;
    const objects = new Map<string, KubeObject>();
    for (const item of list.items) {
      const obj = this.freeze(item);
      objects.set(this.options.keyOf(this.prefix, obj), obj);
    }
    this.objects = objects;
    this.keys.reset(objects.keys());
    this.events.clear();
    this.replayFrom = revision;
    this.revision = revision;
    this.isReady = true;
    for (const done of [...this.readyWaiters]) done(true);
    this.settleFresh();
    return true;
  }

  /** The window has a gap: end every watcher with Expired and relist on the next turn. */
  private invalidate(): void {
    this.isReady = false;
    const err = new StorageError(
      'Expired',
      `the watch cache of ${this.prefix} lost events after resource version ${this.revision}; list and watch again`,
      undefined,
      this.revision,
    );
    for (const watcher of [...this.watchers.all()]) watcher.end(err);
  }

  private apply(event: WatchEvent<KubeObject>): void {
    if (event.type === 'PROGRESS') {
      if (event.revision > this.revision) this.revision = event.revision;
      const now = this.options.clock.now();
      const periodic = now - this.lastBookmarkAt >= this.options.minBookmarkIntervalMs;
      if (periodic) this.lastBookmarkAt = now;
      for (const watcher of this.watchers.all()) watcher.progress(this.revision, periodic);
      this.settleFresh();
      return;
    }
    if (event.revision <= this.revision) return; // already applied; the inner contract excludes it
    const { type, revision } = event;
    const object = this.freeze(event.object);
    const key = this.options.keyOf(this.prefix, object);
    const previous = this.objects.get(key);
    if (type === 'DELETED') {
      this.objects.delete(key);
      this.keys.remove(key);
    } else {
      if (!previous) this.keys.add(key);
      this.objects.set(key, object);
    }
    const prevObject = previous ?? (event.prevObject ? this.freeze(event.prevObject) : undefined);
    const plain: WatchEvent<KubeObject> =
      type === 'ADDED' || !prevObject ? { type, object, revision } : { type, object, prevObject, revision };
    const cached: CachedEvent = { type, key, object, prevObject, revision, plain };
    const evicted = this.events.push(cached);
    if (evicted) this.replayFrom = evicted.revision;
    this.revision = revision;
    for (const watcher of this.watchers.covering(key, this.prefix.length - 1)) watcher.deliver(cached);
    this.settleFresh();
  }

  private settleFresh(): void {
    if (!this.isReady || this.freshWaiters.size === 0) return;
    for (const waiter of [...this.freshWaiters]) if (this.revision >= waiter.revision) waiter.done(true);
  }

  private onWatcherEnd(watcher: CacheWatcher, why: WatcherEnd): void {
    this.watchers.remove(watcher);
    if (why === 'slow') {
      this.counters.slowWatchersEnded++;
      this.options.logger?.warn('ended a watcher that fell behind', { prefix: this.prefix, key: watcher.spec.key });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(() => done(), ms);
      const done = () => {
        timer.cancel();
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private freeze(obj: KubeObject): KubeObject {
    return this.options.freezeObjects ? deepFreeze(obj) : obj;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
