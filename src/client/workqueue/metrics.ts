// Work queue metrics, shaped like client-go's workqueue MetricsProvider: a queue asks the provider
// for one metric of each kind under its name, so a controller can export them (prom-client, with a
// `name` label) without the queue knowing how. The default provider records nothing.

import type { Clock } from '../../util/clock.js';

export interface GaugeMetric {
  inc(): void;
  dec(): void;
}

export interface SettableGaugeMetric {
  set(value: number): void;
}

export interface CounterMetric {
  inc(): void;
}

export interface HistogramMetric {
  /** Observes a value in seconds. */
  observe(value: number): void;
}

/** Makes the metrics of one named queue (workqueue_depth, workqueue_adds_total, …). */
export interface MetricsProvider {
  /** Items added and not yet handed to a worker (workqueue_depth). */
  newDepthMetric(name: string): GaugeMetric;
  /** Adds that were not collapsed into an item already waiting (workqueue_adds_total). */
  newAddsMetric(name: string): CounterMetric;
  /** Seconds an item waited between add and get (workqueue_queue_duration_seconds). */
  newLatencyMetric(name: string): HistogramMetric;
  /** Seconds between get and done (workqueue_work_duration_seconds). */
  newWorkDurationMetric(name: string): HistogramMetric;
  /** Seconds of work in progress not yet done, summed over workers (workqueue_unfinished_work_seconds). */
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric;
  /** Seconds the longest-running worker has been at its item (workqueue_longest_running_processor_seconds). */
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric;
  /** Rate-limited and delayed re-adds (workqueue_retries_total). */
  newRetriesMetric(name: string): CounterMetric;
}

const noop = { inc() {}, dec() {}, set() {}, observe() {} };

/** Records nothing. */
export const noopMetricsProvider: MetricsProvider = {
  newDepthMetric: () => noop,
  newAddsMetric: () => noop,
  newLatencyMetric: () => noop,
  newWorkDurationMetric: () => noop,
  newUnfinishedWorkSecondsMetric: () => noop,
  newLongestRunningProcessorSecondsMetric: () => noop,
  newRetriesMetric: () => noop,
};

/** How often a queue with real metrics refreshes the unfinished-work gauges (client-go: 500 ms). */
export const UNFINISHED_WORK_UPDATE_PERIOD_MS = 500;

/** The per-queue bookkeeping behind the metrics: when each item was added and taken. */
export class QueueMetrics<T> {
  private readonly depth: GaugeMetric;
  private readonly adds: CounterMetric;
  private readonly latency: HistogramMetric;
  private readonly workDuration: HistogramMetric;
  private readonly unfinished: SettableGaugeMetric;
  private readonly longest: SettableGaugeMetric;
  private readonly retries: CounterMetric;
  private readonly addTimes = new Map<T, number>();
  private readonly processingStartTimes = new Map<T, number>();

  constructor(
    name: string,
    provider: MetricsProvider,
    private readonly clock: Clock,
  ) {
    this.depth = provider.newDepthMetric(name);
    this.adds = provider.newAddsMetric(name);
    this.latency = provider.newLatencyMetric(name);
    this.workDuration = provider.newWorkDurationMetric(name);
    this.unfinished = provider.newUnfinishedWorkSecondsMetric(name);
    this.longest = provider.newLongestRunningProcessorSecondsMetric(name);
    this.retries = provider.newRetriesMetric(name);
  }

  add(item: T): void {
    this.adds.inc();
    this.depth.inc();
    if (!this.addTimes.has(item)) this.addTimes.set(item, this.clock.now());
  }

  get(item: T): void {
    this.depth.dec();
    const now = this.clock.now();
    this.processingStartTimes.set(item, now);
    const added = this.addTimes.get(item);
    if (added !== undefined) {
      this.latency.observe((now - added) / 1000);
      this.addTimes.delete(item);
    }
  }

  done(item: T): void {
    const started = this.processingStartTimes.get(item);
    if (started !== undefined) {
      this.workDuration.observe((this.clock.now() - started) / 1000);
      this.processingStartTimes.delete(item);
    }
  }

  retry(): void {
    this.retries.inc();
  }

  updateUnfinishedWork(): void {
    const now = this.clock.now();
    let total = 0;
    let oldest = 0;
    for (const started of this.processingStartTimes.values()) {
      const age = (now - started) / 1000;
      total += age;
      if (age > oldest) oldest = age;
    }
    this.unfinished.set(total);
    this.longest.set(oldest);
  }
}
