// One watch served from the cache (Kubernetes' cacheWatcher): filters the cache's events by key and
// predicate — an object that starts matching arrives as ADDED, one that stops matching as DELETED —
// skips what it has already seen, and holds at most a bounded backlog. A watcher whose consumer
// falls that far behind is ended (cleanly, as Kubernetes closes unresponsive watchers), so the
// client re-watches from the last resourceVersion it saw instead of the server buffering forever.

import type { KubeObject } from '../../api/object.js';
import type { WatchEvent, WatchStream } from '../../storage/interface.js';
import { EventQueue } from '../../storage/watch-stream.js';

/** A change as the cache holds it. Objects are shared by every reader and must not be mutated. */
export interface CachedEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: string;
  readonly object: KubeObject;
  readonly prevObject?: KubeObject;
  readonly revision: number;
  /** The event as a watcher without a predicate receives it: one object for all such watchers. */
  readonly plain: WatchEvent<KubeObject>;
}

export interface WatcherSpec {
  key: string;
  recursive: boolean;
  predicate?: (obj: KubeObject) => boolean;
  progressNotify: boolean;
  /** The watch starts after this revision: nothing at or below it is delivered. */
  after: number;
  /** Live events the consumer may leave unread before the watcher is ended. */
  maxBacklog: number;
}

export type WatcherEnd = 'stopped' | 'slow' | 'error';

export interface WatcherHooks {
  /** The watcher ended (its consumer stopped it, it fell behind, or it failed). */
  onEnd(watcher: CacheWatcher, why: WatcherEnd): void;
  /** The consumer asked for a PROGRESS event. */
  onRequestProgress(): void;
}

export class CacheWatcher {
  readonly stream: WatchStream<KubeObject>;
  private readonly queue: EventQueue<WatchEvent<KubeObject>>;
  private lastRevision: number;
  private limit = Infinity;
  private progressWanted = false;
  private why: WatcherEnd = 'stopped';

  constructor(
    readonly spec: WatcherSpec,
    hooks: WatcherHooks,
  ) {
    this.lastRevision = spec.after;
    this.queue = new EventQueue<WatchEvent<KubeObject>>(() => hooks.onEnd(this, this.why));
    const queue = this.queue;
    this.stream = {
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      requestProgress: () => {
        this.progressWanted = true;
        hooks.onRequestProgress();
      },
      stop: () => queue.end(),
    };
  }

  get closed(): boolean {
    return this.queue.closed;
  }

  matchesKey(key: string): boolean {
    return this.spec.recursive ? key.startsWith(this.spec.key) : key === this.spec.key;
  }

  /** Queues an object of the current state as ADDED (a watch from "" or "0"). */
  initial(object: KubeObject, revision: number): void {
    try {
      if (!this.spec.predicate || this.spec.predicate(object)) this.queue.push({ type: 'ADDED', object, revision });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Starts counting the backlog: what is queued now (the initial state or a replay) is allowed. */
  arm(): void {
    this.limit = this.spec.maxBacklog + this.queue.backlog;
  }

  deliver(event: CachedEvent): void {
    if (this.queue.closed || event.revision <= this.lastRevision) return;
    let out: WatchEvent<KubeObject> | undefined;
    try {
      out = translate(event, this.spec.predicate);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.lastRevision = event.revision;
    if (!out) return;
    this.queue.push(out);
    if (this.queue.backlog > this.limit) {
      this.why = 'slow';
      this.queue.end();
    }
  }

  /** Everything up to `revision` has been delivered: a bookmark, if this watcher asked for one
   *  (requestProgress), or wants periodic ones and `periodic` says this is one. */
  progress(revision: number, periodic: boolean): void {
    if (this.queue.closed || revision < this.lastRevision) return;
    if (!this.progressWanted && !(periodic && this.spec.progressNotify)) return;
    this.progressWanted = false;
    this.lastRevision = revision;
    this.queue.push({ type: 'PROGRESS', revision });
  }

  /** Ends the watch; with an error, iteration throws it after the queued events. */
  end(error?: unknown): void {
    if (error !== undefined) this.why = 'error';
    this.queue.end(error);
  }

  private fail(err: unknown): void {
    this.why = 'error';
    this.queue.end(err);
  }
}

/** The event a watcher with `predicate` sees, as ObjectStore's watch makes it (watch-events.ts). */
function translate(event: CachedEvent, predicate: ((obj: KubeObject) => boolean) | undefined): WatchEvent<KubeObject> | undefined {
  if (!predicate) return event.plain;
  const { object, prevObject, revision } = event;
  if (event.type === 'DELETED') return predicate(object) ? event.plain : undefined;
  const matches = predicate(object);
  if (event.type === 'ADDED' || !prevObject) {
    if (!matches) return undefined;
    return event.type === 'ADDED' ? event.plain : { type: 'ADDED', object, revision };
  }
  const matched = predicate(prevObject);
  if (matches && matched) return event.plain;
  if (matches) return { type: 'ADDED', object, revision };
  if (matched) {
    const last = { ...prevObject, metadata: { ...(prevObject.metadata ?? {}), resourceVersion: String(revision) } };
    return { type: 'DELETED', object: last, prevObject, revision };
  }
  return undefined;
}
