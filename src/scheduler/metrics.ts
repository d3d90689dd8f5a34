// The scheduler's Prometheus metrics (pkg/scheduler/metrics), in their own prom-client registry:
// scheduler_pending_pods{queue} (read from the queue at scrape time),
// scheduler_schedule_attempts_total{result, profile}, scheduler_scheduling_attempt_duration_seconds
// {result, profile} (from the start of the scheduling cycle to the end of binding for scheduled
// pods, to the failure for the others, as kube-scheduler measures it) and
// scheduler_scheduling_algorithm_duration_seconds (Filter + Score of one cycle). Served, with
// /healthz, by a small plain-HTTP server (serveMetrics) that start.ts runs when given a port.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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

export interface MetricsServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text) and GET /healthz ("ok" while healthy()) over plain HTTP. */
export async function serveMetrics(metrics: SchedulerMetrics, options: { port: number; host?: string; healthy?: () => boolean }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      const ok = options.healthy ? options.healthy() : true;
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8' }).end(ok ? 'ok' : 'unhealthy');
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
