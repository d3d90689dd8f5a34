// The scheduler's Prometheus metrics (pkg/scheduler/metrics), in their own prom-client registry:
// scheduler_pending_pods{queue} (read from the queue at scrape time),
// scheduler_schedule_attempts_total{result, profile}, scheduler_scheduling_attempt_duration_seconds
// {result, profile} (from the start of the scheduling cycle to the end of binding for scheduled
// pods, to the failure for the others, as kube-scheduler measures it) and
// scheduler_scheduling_algorithm_duration_seconds (Filter + Score of one cycle). Served, with
// /healthz, by a small plain-HTTP server (serveMetrics) that start.ts runs when given a port.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { serveHealthAndMetrics, type HealthServer } from '../util/health-server.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

/** What the scheduler reports to (a no-op when absent). */
export interface SchedulerMetricsSink {
  observeAttempt(result: AttemptResult, profile: string, durationSeconds: number): void;
  observeAlgorithm(durationSeconds: number): void;
}

export type PendingPodsSource = () => { active: number; backoff: number; unschedulable: number };

// kube-scheduler's buckets: ExponentialBuckets(0.001, 2, 15) for attempts and the algorithm.
const BUCKETS = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

export class SchedulerMetrics implements SchedulerMetricsSink {
  readonly registry = new Registry();
  readonly attempts: Counter<'result' | 'profile'>;
  readonly attemptDuration: Histogram<'result' | 'profile'>;
  readonly algorithmDuration: Histogram;
  private pendingSource: PendingPodsSource | undefined;

  constructor() {
    const self = this;
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Number of pending pods, by the queue type.',
      labelNames: ['queue'],
      registers: [this.registry],
      collect() {
        const p = self.pendingSource?.() ?? { active: 0, backoff: 0, unschedulable: 0 };
        this.set({ queue: 'active' }, p.active);
        this.set({ queue: 'backoff' }, p.backoff);
        this.set({ queue: 'unschedulable' }, p.unschedulable);
      },
    });
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result.',
      labelNames: ['result', 'profile'],
      registers: [this.registry],
    });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding).',
      labelNames: ['result', 'profile'],
      buckets: BUCKETS,
      registers: [this.registry],
    });
    this.algorithmDuration = new Histogram({
      name: 'scheduler_scheduling_algorithm_duration_seconds',
      help: 'Scheduling algorithm latency in seconds (Filter and Score of one cycle).',
      buckets: BUCKETS,
      registers: [this.registry],
    });
  }

  /** Where scheduler_pending_pods is read from (the current scheduler's queue). */
  setPendingSource(source: PendingPodsSource | undefined): void {
    this.pendingSource = source;
  }

  observeAttempt(result: AttemptResult, profile: string, durationSeconds: number): void {
    this.attempts.inc({ result, profile });
    this.attemptDuration.observe({ result, profile }, durationSeconds);
  }

  observeAlgorithm(durationSeconds: number): void {
    this.algorithmDuration.observe(durationSeconds);
  }

  /** Sum over profiles of scheduler_schedule_attempts_total{result}. */
  async attemptCount(result: AttemptResult): Promise<number> {
    const m = await this.attempts.get();
    return m.values.filter((v) => v.labels['result'] === result).reduce((s, v) => s + v.value, 0);
  }
}

export type { HealthServer as MetricsServer } from '../util/health-server.js';

/** Serves GET /metrics (the scheduler's Prometheus text) and GET /healthz over plain HTTP. */
export function serveMetrics(metrics: SchedulerMetrics, options: { port: number; host?: string; healthy?: () => boolean }): Promise<HealthServer> {
  return serveHealthAndMetrics({ ...options, metrics: metrics.registry });
}
