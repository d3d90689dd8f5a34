// The reflector (client-go's cache.Reflector): keeps a sink in step with the server by listing —
// in pages of `pageSize` with limit/continue, from one consistent snapshot — and then watching from
// the list's resourceVersion with bookmarks, so every change is seen exactly once and in order.
//
// - A watch that ends (server timeoutSeconds, shutdown, connection loss) is re-opened from the
//   last resourceVersion seen (event or bookmark), with backoff when it ended badly or at once.
// - 410 Gone / Expired — on opening a watch, as an ERROR event in the stream, or for a continue
//   token mid-list — means events were compacted away: relist (a full consistent list), and the
//   sink's replace() turns objects that disappeared into deletions.
// - Failures to list back off exponentially (800 ms doubling to 30 s, jittered), as client-go does.
// Clock and randomness are injected.

import type { KubeObject } from '../../api/object.js';
import { isGone, isResourceExpired } from '../../api/status-predicates.js';
import { StatusError, type Status } from '../../api/status.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { Backoff } from '../rest/backoff.js';
import type { ListOptions, SelectorInput, WatchOptions } from '../rest/options.js';
import type { ObjectList } from '../rest/resource-client.js';
import { sleep } from '../rest/sleep.js';
import type { WatchInterface } from '../rest/watch.js';

/** What a reflector needs from the API: a ResourceClient is one. */
export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(options: ListOptions): Promise<ObjectList<T>>;
  watch(options: WatchOptions): Promise<WatchInterface<T>>;
}

/** Where the reflector delivers what it learns (the informer). */
export interface ReflectorSink<T extends KubeObject> {
  /** The complete state at resourceVersion (after every list). */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Page size of lists; default 500. 0 lists in one request. */
  pageSize?: number;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  /** Watches ask the server to end them after a random time in [min, 2·min) s; default 300. */
  minWatchTimeoutSeconds?: number;
  /** Backoff for failed lists and watches; default 800 ms doubling to 30 s. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface ReflectorStats {
  lists: number;
  watches: number;
  /** Relists caused by 410 Gone / Expired. */
  expired: number;
  listErrors: number;
  watchErrors: number;
}

type WatchOutcome = 'expired' | 'stopped';

/** A healthy watch: one that delivered an event or stayed open this long. */
const HEALTHY_WATCH_MS = 1000;

export class Reflector<T extends KubeObject> {
  readonly stats: ReflectorStats = { lists: 0, watches: 0, expired: 0, listErrors: 0, watchErrors: 0 };
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly pageSize: number;
  private readonly minWatchTimeoutSeconds: number;
  private readonly backoffOptions: { initialMs: number; maxMs: number };
  private readonly abort = new AbortController();
  private stopped = false;
  private running: Promise<void> | undefined;
  private currentWatch: WatchInterface<T> | undefined;
  private lastRV = '';

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly sink: ReflectorSink<T>,
    private readonly options: ReflectorOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    this.pageSize = options.pageSize ?? 500;
    this.minWatchTimeoutSeconds = options.minWatchTimeoutSeconds ?? 300;
    this.backoffOptions = options.backoff ?? { initialMs: 800, maxMs: 30_000 };
  }

  /** The resourceVersion of the last list, event or bookmark ("" before the first list). */
  get lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  /** Starts listing and watching (once). */
  start(): void {
    this.running ??= this.run();
  }

  /** Stops, and resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.currentWatch?.stop();
    await this.running;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff({ ...this.backoffOptions, random: this.random });
    // An expiry right after a relist with nothing healthy in between backs off; the first relists at once.
    let lastCycleExpiredUnhealthy = false;
    while (!this.stopped) {
      let healthy = false;
      let delay: number;
      try {
        await this.listAll();
        const outcome = await this.watchLoop(() => (healthy = true));
        if (outcome === 'stopped') break;
        this.stats.expired++;
        this.logger.info('watch expired; relisting', { resourceVersion: this.lastRV });
        if (healthy) backoff.reset();
        delay = healthy || !lastCycleExpiredUnhealthy ? 0 : backoff.next();
        lastCycleExpiredUnhealthy = !healthy;
      } catch (err) {
        if (this.stopped) break;
        this.stats.listErrors++;
        this.logger.warn('list failed', { error: err as Error });
        if (healthy) backoff.reset();
        delay = backoff.next();
      }
      if (!(await this.pause(delay))) break;
    }
  }

  /** Lists everything (paginated, one snapshot) and hands it to the sink. */
  private async listAll(): Promise<void> {
    const base: ListOptions = {
      ...(this.options.labelSelector !== undefined ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector !== undefined ? { fieldSelector: this.options.fieldSelector } : {}),
      signal: this.abort.signal,
    };
    this.stats.lists++;
    let items: T[] = [];
    let rv = '';
    let token: string | undefined;
    try {
      do {
        const page = await this.lw.list({ ...base, ...(this.pageSize > 0 ? { limit: this.pageSize } : {}), ...(token ? { continue: token } : {}) });
        for (const item of page.items) items.push(item);
        rv = page.metadata.resourceVersion ?? '';
        token = page.metadata.continue || undefined;
      } while (token);
    } catch (err) {
      // The snapshot the continue token pointed at was compacted: list everything in one go.
      if (!(token && isExpiredError(err))) throw err;
      this.logger.info('continue token expired; listing without pagination');
      const all = await this.lw.list(base);
      items = all.items;
      rv = all.metadata.resourceVersion ?? '';
    }
    if (this.stopped) return;
    this.lastRV = rv;
    this.sink.replace(items, rv);
  }

  /** Watches until the resourceVersion expires (relist) or the reflector stops. */
  private async watchLoop(onHealthy: () => void): Promise<WatchOutcome> {
    const backoff = new Backoff({ ...this.backoffOptions, random: this.random });
    while (!this.stopped) {
      const timeoutSeconds = Math.floor(this.minWatchTimeoutSeconds * (1 + this.random()));
      let watch: WatchInterface<T>;
      try {
        this.stats.watches++;
        watch = await this.lw.watch({
          ...(this.options.labelSelector !== undefined ? { labelSelector: this.options.labelSelector } : {}),
          ...(this.options.fieldSelector !== undefined ? { fieldSelector: this.options.fieldSelector } : {}),
          resourceVersion: this.lastRV,
          allowWatchBookmarks: true,
          timeoutSeconds,
          signal: this.abort.signal,
        });
      } catch (err) {
        if (this.stopped) return 'stopped';
        if (isExpiredError(err)) return 'expired';
        this.stats.watchErrors++;
        this.logger.warn('watch failed', { error: err as Error, resourceVersion: this.lastRV });
        if (!(await this.pause(backoff.next()))) return 'stopped';
        continue;
      }
      if (this.stopped) {
        watch.stop();
        return 'stopped';
      }
      this.currentWatch = watch;
      const started = this.clock.now();
      let events = 0;
      let failed = false;
      try {
        for await (const event of watch) {
          if (this.stopped) break;
          if (event.type === 'ERROR') {
            const err = new StatusError(event.object as Status);
            if (isExpiredError(err)) {
              if (events > 0) onHealthy();
              return 'expired';
            }
            this.stats.watchErrors++;
            this.logger.warn('watch error event', { error: err, resourceVersion: this.lastRV });
            failed = true;
            break;
          }
          events++;
          const rv = event.object.metadata?.resourceVersion;
          if (event.type === 'ADDED') this.sink.add(event.object);
          else if (event.type === 'MODIFIED') this.sink.update(event.object);
          else if (event.type === 'DELETED') this.sink.delete(event.object);
          if (rv) this.lastRV = rv;
        }
      } catch (err) {
        if (!this.stopped) {
          this.stats.watchErrors++;
          this.logger.info('watch ended with an error', { error: err as Error, resourceVersion: this.lastRV });
          failed = true;
        }
      } finally {
        watch.stop();
        this.currentWatch = undefined;
      }
      if (this.stopped) return 'stopped';
      const healthy = events > 0 || this.clock.now() - started >= HEALTHY_WATCH_MS;
      if (healthy) {
        onHealthy();
        backoff.reset();
      }
      if ((failed || !healthy) && !(await this.pause(backoff.next()))) return 'stopped';
    }
    return 'stopped';
  }

  /** Waits ms on the clock; false when the reflector was stopped meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    if (this.stopped) return false;
    if (ms <= 0) return true;
    try {
      await sleep(this.clock, ms, this.abort.signal);
      return !this.stopped;
    } catch {
      return false;
    }
  }
}

/** 410 Gone or Expired: the resourceVersion is too old; relist. */
export function isExpiredError(err: unknown): boolean {
  return isGone(err) || isResourceExpired(err);
}
