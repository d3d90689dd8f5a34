// The work queue of client-go (workqueue.Typed): a FIFO of keys with a dirty set and a processing
// set. A key is handed to one worker at a time; adding a key that is already waiting does nothing
// (repeated adds collapse); adding a key that a worker holds marks it dirty, and done() puts it
// back in line, so the change is never lost and never worked twice at once.

import type { Clock, Timer } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import { QueueMetrics, UNFINISHED_WORK_UPDATE_PERIOD_MS, noopMetricsProvider, type MetricsProvider } from './metrics.js';

export interface QueueOptions {
  /** The queue's name in its metrics. */
  name?: string;
  clock?: Clock;
  /** Where depth, adds, latency, work duration and retries go (default: nowhere). */
  metricsProvider?: MetricsProvider;
}

/** A FIFO queue that never hands one key to two workers at once. */
export class Queue<T extends {}> {
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics<T>;
  /** Keys waiting for a worker, in order; each is also in `dirty`. */
  private queue: T[] = [];
  private head = 0;
  /** Keys that need processing (waiting, or added again while being processed). */
  private readonly dirty = new Set<T>();
  /** Keys a worker holds between get() and done(). */
  private readonly processing = new Set<T>();
  /** Workers blocked in get(), oldest first. */
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private shuttingDownFlag = false;
  private draining = false;
  private readonly metricsTicker: Timer | undefined;

  constructor(options: QueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    const provider = options.metricsProvider ?? noopMetricsProvider;
    this.metrics = new QueueMetrics<T>(options.name ?? '', provider, this.clock);
    if (provider !== noopMetricsProvider) {
      this.metricsTicker = this.clock.setInterval(() => this.metrics.updateUnfinishedWork(), UNFINISHED_WORK_UPDATE_PERIOD_MS);
    }
  }

  /** Marks `item` as needing processing. Ignored once the queue is shutting down. */
  add(item: T): void {
    if (this.shuttingDownFlag) return;
    if (this.dirty.has(item)) return;
    this.metrics.add(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return; // done() will queue it again
    this.queue.push(item);
    this.dispatch();
  }

  /**
   * Waits for the next item and marks it as being processed; the caller must call done(item)
   * when finished. Resolves undefined once the queue is shut down and empty.
   */
  get(): Promise<T | undefined> {
    if (this.length() > 0) return Promise.resolve(this.take());
    if (this.shuttingDownFlag) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` as done; if it was added again meanwhile, it goes back in line. */
  done(item: T): void {
    this.metrics.done(item);
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.dispatch();
    } else if (this.processing.size === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  /** Number of items waiting for a worker (not counting those being processed). */
  len(): number {
    return this.length();
  }

  /** Whether `item` is being processed right now. */
  isProcessing(item: T): boolean {
    return this.processing.has(item);
  }

  /**
   * Stops accepting new items; workers blocked in get() get undefined. Items already waiting are
   * still handed out by get(), as in client-go.
   */
  shutDown(): void {
    this.draining = false;
    this.beginShutdown();
  }

  /**
   * Shuts down, then waits until every item handed out has been marked done. A worker must not
   * call this while it holds an item, or it waits forever.
   */
  async shutDownWithDrain(): Promise<void> {
    this.draining = true;
    this.beginShutdown();
    while (this.draining && this.processing.size > 0) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  shuttingDown(): boolean {
    return this.shuttingDownFlag;
  }

  protected beginShutdown(): void {
    this.shuttingDownFlag = true;
    this.metricsTicker?.cancel();
    // A shutDown() after shutDownWithDrain() stops the drain wait too.
    if (!this.draining) {
      const drainWaiters = this.drainWaiters;
      this.drainWaiters = [];
      drainWaiters.forEach((w) => w());
    }
    if (this.length() === 0) {
      const waiters = this.waiters.splice(0);
      waiters.forEach((w) => w(undefined));
    }
  }

  private length(): number {
    return this.queue.length - this.head;
  }

  /** Hands waiting items to blocked workers, oldest first. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.length() > 0) {
      const waiter = this.waiters.shift()!;
      waiter(this.take());
    }
  }

  private take(): T {
    const item = this.queue[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.metrics.get(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }
}
