// Helpers for the watch cache tests: a real ObjectStore over embedded SQLite in a temporary
// directory, a spy Store that counts the calls the cache makes and can break its watches on demand,
// and a reader that takes events from a watch with a deadline.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { DelegatingStore } from '../../storage/delegating-store.js';
import { StorageError } from '../../storage/errors.js';
import type {
  ListOptions,
  ListResult,
  WatchEvent,
  WatchOptions,
  WatchStream,
} from '../../storage/interface.js';
import { openBackend } from '../../storage/open.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { ObjectStore } from '../../storage/store.js';
import { EventQueue } from '../../storage/watch-stream.js';

export { waitFor } from '../../storage/test-support.js';

/** The real clock, but its timers keep the process alive (realClock's are unref'd, and a test
 *  awaiting only a timer would otherwise end early). */
export const refClock: Clock = systemClock({ keepAlive: true });

export async function openSqliteStore(progressIntervalMs = 50): Promise<{ store: ObjectStore; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-watchcache-'));
  const backend = await openBackend({ kind: 'sqlite', path: join(dir, 'state.db') });
  const store = new ObjectStore(backend, { progressIntervalMs });
  return {
    store,
    async cleanup() {
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Wraps a Store: records the keys of watch and list calls, can end every open watch with an
 *  error, and can refuse new watches while `refuseWatches` is set. Close does not close `inner`. */
export class SpyStore extends DelegatingStore {
  readonly watches: string[] = [];
  readonly lists: string[] = [];
  refuseWatches = false;
  private readonly open = new Set<EventQueue<WatchEvent<KubeObject>>>();

  /** Ends every open watch with `err` (after the events it already has). */
  failWatches(err: unknown): void {
    for (const queue of [...this.open]) queue.end(err);
  }

  get openWatches(): number {
    return this.open.size;
  }

  override list<T extends KubeObject>(prefix: string, options?: ListOptions<T>): Promise<ListResult<T>> {
    this.lists.push(prefix);
    return this.inner.list(prefix, options);
  }
  override close(): Promise<void> {
    return Promise.resolve();
  }

  override async watch<T extends KubeObject>(key: string, options?: WatchOptions<T>): Promise<WatchStream<T>> {
    this.watches.push(key);
    if (this.refuseWatches) throw new StorageError('Unreachable', 'watches refused by the test');
    const inner = await this.inner.watch(key, options);
    const queue = new EventQueue<WatchEvent<T>>(() => {
      inner.stop();
      this.open.delete(queue as unknown as EventQueue<WatchEvent<KubeObject>>);
    });
    this.open.add(queue as unknown as EventQueue<WatchEvent<KubeObject>>);
    void (async () => {
      try {
        for await (const event of inner) queue.push(event);
        queue.end();
      } catch (err) {
        queue.end(err);
      }
    })();
    return {
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      requestProgress: () => inner.requestProgress(),
      stop: () => queue.end(),
    };
  }
}

/** Reads from a watch without stopping it between calls. */
export class Reader<T> {
  private readonly it: AsyncIterator<WatchEvent<T>>;
  private pending?: Promise<IteratorResult<WatchEvent<T>>>;
  constructor(readonly stream: WatchStream<T>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** The next event; 'end' when the stream finished; rejects with the stream's error or on timeout. */
  async next(timeoutMs = 5000): Promise<WatchEvent<T> | 'end'> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([this.pending, timeout]);
      this.pending = undefined;
      return result.done ? 'end' : result.value;
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('no watch event'))) this.pending = undefined;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next n events that are not PROGRESS. */
  async take(n: number, timeoutMs = 5000): Promise<WatchEvent<T>[]> {
    const out: WatchEvent<T>[] = [];
    while (out.length < n) {
      const event = await this.next(timeoutMs);
      if (event === 'end') throw new Error(`watch ended after ${out.length} of ${n} events`);
      if (event.type !== 'PROGRESS') out.push(event);
    }
    return out;
  }

  /** Resolves with nothing if no non-PROGRESS event arrives within ms. */
  async quiet(ms = 100): Promise<void> {
    for (;;) {
      let event: WatchEvent<T> | 'end';
      try {
        event = await this.next(ms);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('no watch event')) return;
        throw err;
      }
      if (event === 'end') throw new Error('watch ended');
      if (event.type !== 'PROGRESS') throw new Error(`unexpected ${event.type} event at ${event.revision}`);
    }
  }
}

/** A compact, comparable form of an event: "TYPE name@revision" or "PROGRESS@revision". */
export const describeEvent = (e: WatchEvent<KubeObject>): string =>
  e.type === 'PROGRESS' ? `PROGRESS@${e.revision}` : `${e.type} ${e.object.metadata?.name ?? ''}@${e.revision}`;
