// Watches, published in-process: the writer hands each commit's events to the hub right after the
// commit, and the hub hands each watcher those matching its key or prefix. A watch from an older
// revision first replays the log rows after its start revision (the first page synchronously with
// subscribing, the rest page by page), buffering live events meanwhile, so nothing is missed or
// delivered twice. Each watcher delivers through its own ordered outbox, from a microtask.
import type { BackendEvent, BackendWatch, BackendWatchHandler, BackendWatchOptions } from '../backend.js';
import { expired } from '../errors.js';
import type { LogRow } from './statements.js';

/** Rows replayed per step while a watch catches up. */
const REPLAY_PAGE = 1000;

export interface WatchSource {
  currentRevision(): number;
  compactRevision(): number;
  /** Rows after `after` and up to `upto`, matching the watch, in revision order, at most `limit`. */
  rows(key: string, prefix: boolean, after: number, upto: number, limit: number): LogRow[];
  toEvent(row: LogRow): BackendEvent;
}

type Outgoing = { events: BackendEvent[] } | { progress: number } | { error: Error };

class Watcher implements BackendWatch {
  private outbox: Outgoing[] = [];
  private pumping = false;
  private stopped = false;
  /** While catching up: the last replayed revision and the revision the replay ends at. */
  private catchUp: { position: number; target: number; buffered: BackendEvent[]; progressWanted: boolean } | undefined;

  constructor(
    private readonly hub: WatchHub,
    readonly key: string,
    readonly options: BackendWatchOptions,
    private readonly handler: BackendWatchHandler,
  ) {}

  matches(key: string): boolean {
    return this.options.prefix ? key.startsWith(this.key) : key === this.key;
  }

  /** Begin: replay the first page now; continue later if there is more. */
  start(): void {
    const target = this.hub.source.currentRevision();
    if (this.options.afterRevision >= target) return;
    this.catchUp = { position: this.options.afterRevision, target, buffered: [], progressWanted: false };
    this.replayPage();
  }

  private replayPage(): void {
    const c = this.catchUp;
    if (this.stopped || !c) return;
    const compacted = this.hub.source.compactRevision();
    if (compacted > c.position + 1) {
      this.fail(expired(c.position, compacted));
      return;
    }
    const rows = this.hub.source.rows(this.key, this.options.prefix, c.position, c.target, REPLAY_PAGE);
    if (rows.length > 0) {
      this.push({ events: rows.map((r) => this.hub.source.toEvent(r)) });
      c.position = rows[rows.length - 1]?.id ?? c.position;
    }
    if (rows.length < REPLAY_PAGE) {
      this.catchUp = undefined;
      if (c.buffered.length > 0) this.push({ events: c.buffered });
      if (c.progressWanted) this.push({ progress: this.hub.source.currentRevision() });
      return;
    }
    setImmediate(() => this.replayPage());
  }

  /** Events of one commit, in revision order. */
  deliver(events: BackendEvent[]): void {
    if (this.stopped) return;
    const mine = events.filter((e) => e.revision > this.options.afterRevision && this.matches(e.key));
    if (mine.length === 0) return;
    if (this.catchUp) this.catchUp.buffered.push(...mine);
    else this.push({ events: mine });
  }

  requestProgress(): void {
    if (this.stopped) return;
    if (this.catchUp) this.catchUp.progressWanted = true;
    else this.push({ progress: this.hub.source.currentRevision() });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.outbox = [];
    this.catchUp = undefined;
    this.hub.remove(this);
  }

  /** End the watch with `err` (delivered after what is already queued). */
  fail(err: Error): void {
    if (this.stopped) return;
    this.catchUp = undefined;
    this.push({ error: err });
    this.hub.remove(this);
  }

  private push(item: Outgoing): void {
    this.outbox.push(item);
    if (!this.pumping) {
      this.pumping = true;
      queueMicrotask(() => this.pump());
    }
  }

  private pump(): void {
    this.pumping = false;
    while (!this.stopped && this.outbox.length > 0) {
      const item = this.outbox.shift() as Outgoing;
      try {
        if ('events' in item) this.handler.onEvents(item.events);
        else if ('progress' in item) this.handler.onProgress(item.progress);
        else {
          this.stop();
          this.handler.onError(item.error);
        }
      } catch (err) {
        // A handler that throws ends its own watch; the store and other watches carry on.
        if (this.stopped) return;
        this.stop();
        try {
          this.handler.onError(err instanceof Error ? err : new Error(String(err)));
        } catch {
          // nothing more can be done for this watcher
        }
      }
    }
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(readonly source: WatchSource) {}

  get size(): number {
    return this.watchers.size;
  }

  /** Start a watch; throws 'Expired' if history after `afterRevision` was compacted away. */
  watch(key: string, options: BackendWatchOptions, handler: BackendWatchHandler): BackendWatch {
    const compacted = this.source.compactRevision();
    if (options.afterRevision < compacted - 1) throw expired(options.afterRevision, compacted);
    const w = new Watcher(this, key, options, handler);
    this.watchers.add(w);
    w.start();
    return w;
  }

  /** The events of one commit, in revision order. */
  publish(events: BackendEvent[]): void {
    if (events.length === 0) return;
    for (const w of this.watchers) w.deliver(events);
  }

  /** End every watch with `err`. */
  failAll(err: Error): void {
    for (const w of [...this.watchers]) w.fail(err);
  }

  remove(w: Watcher): void {
    this.watchers.delete(w);
  }
}
