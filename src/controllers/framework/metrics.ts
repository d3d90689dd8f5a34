// The controller manager's Prometheus metrics: every controller's work queue under its name, with
// client-go's metric names (workqueue_depth, workqueue_adds_total, workqueue_queue_duration_seconds,
// workqueue_work_duration_seconds, workqueue_unfinished_work_seconds,
// workqueue_longest_running_processor_seconds, workqueue_retries_total), in one prom-client registry.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsProvider } from '../../client/workqueue/index.js';

const BUCKETS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly provider: MetricsProvider;

  constructor() {
    const r = [this.registry];
    const depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers: r });
    const adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'], registers: r });
    const latency = new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested.', labelNames: ['name'], buckets: BUCKETS, registers: r });
    const work = new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes.', labelNames: ['name'], buckets: BUCKETS, registers: r });
    const unfinished = new Gauge({ name: 'workqueue_unfinished_work_seconds', help: 'How many seconds of work has been done that is in progress and hasn\'t been observed by work_duration.', labelNames: ['name'], registers: r });
    const longest = new Gauge({ name: 'workqueue_longest_running_processor_seconds', help: 'How many seconds has the longest running processor for workqueue been running.', labelNames: ['name'], registers: r });
    const retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'], registers: r });
    this.provider = {
      newDepthMetric: (name) => depth.labels(name),
      newAddsMetric: (name) => adds.labels(name),
      newLatencyMetric: (name) => latency.labels(name),
      newWorkDurationMetric: (name) => work.labels(name),
      newUnfinishedWorkSecondsMetric: (name) => unfinished.labels(name),
      newLongestRunningProcessorSecondsMetric: (name) => longest.labels(name),
      newRetriesMetric: (name) => retries.labels(name),
    };
  }
}
