// `npm run bench -- scheduler`: kube's scheduler_perf SchedulingBasic against a running
// `kite server --disable-scheduler` with simulated nodes (Node objects only: allocatable cpu 4,
// memory 32Gi, pods 110, Ready=True, hostname and zone labels over 3 zones) and Kite's scheduler
// started in this process (startScheduler, no leader election, no client-side rate limit):
// 5,000 nodes, 1,000 pods already bound (created with spec.nodeName, untimed), then 10,000 pods
// created by 16 HTTP/2 clients while the scheduler runs, as scheduler_perf does. Throughput is
// sampled every second from scheduler_schedule_attempts_total{result="scheduled"} (pods whose
// binding completed); cycle times come from the scheduler's own histograms. A second pass
// measures the scheduler alone on a backlog: the scheduler is stopped, 10,000 more pods are
// created, and a new scheduler (fresh informers) drains them. `--quick`: 500 nodes, 1,000 pods.
// Prints a markdown table for docs/benchmarks.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient } from '../src/client/rest/index.js';
import { SchedulerMetrics, startScheduler, type RunningScheduler } from '../src/scheduler/index.js';
import { silentLogger } from '../src/util/log.js';
import { startKite } from '../test/support/kite-process.js';
import { H2Client } from './support/h2-client.js';
import { fmt, machine, markdownTable, nowMs, percentile } from './support/stats.js';

const quick = process.argv.includes('--quick');
const N = {
  nodes: quick ? 500 : 5000,
  initPods: quick ? 100 : 1000,
  pods: quick ? 1000 : 10_000,
  clients: 16,
  zones: 3,
};
const NS = 'sched-bench';
const log = (m: string) => process.stderr.write(`[scheduler] ${m}\n`);

/** scheduler_perf's templates/pod-default.yaml. */
function pod(name: string, nodeName?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'bench' } },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [
        {
          name: 'pause',
          image: 'registry.k8s.io/pause:3.10',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } },
        },
      ],
    },
  };
}

async function parallel(clients: H2Client[], count: number, op: (client: H2Client, i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = nowMs();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < count; i = next++) await op(client, i);
    }),
  );
  return (count / (nowMs() - start)) * 1000;
}

function expect(r: { status: number; body: string }, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
}

interface Measured {
  label: string;
  pods: number;
  avg: number;
  p50: number;
  p99: number;
  createRate?: number;
  algorithmMs: number;
  attemptMs: number;
  attempts: number;
  failed: number;
  seconds: number;
}

async function histogramTotals(metrics: SchedulerMetrics): Promise<{ algSum: number; algCount: number; attSum: number; attCount: number; failed: number }> {
  const alg = await metrics.algorithmDuration.get();
  const att = await metrics.attemptDuration.get();
  const pick = (vals: { metricName?: string; value: number }[], suffix: string) => vals.filter((v) => v.metricName?.endsWith(suffix)).reduce((s, v) => s + v.value, 0);
  return {
    algSum: pick(alg.values, '_sum'),
    algCount: pick(alg.values, '_count'),
    attSum: pick(att.values, '_sum'),
    attCount: pick(att.values, '_count'),
    failed: (await metrics.attemptCount('unschedulable')) + (await metrics.attemptCount('error')),
  };
}

/** Samples scheduled pods every second from `baseline` until `target` more are scheduled. */
async function measure(label: string, metrics: SchedulerMetrics, target: number, during?: () => Promise<number>): Promise<Measured> {
  const base = await metrics.attemptCount('scheduled');
  const h0 = await histogramTotals(metrics);
  const samples: number[] = [];
  let last = base;
  const start = nowMs();
  const sampler = setInterval(() => {
    void metrics.attemptCount('scheduled').then((n) => {
      samples.push(n - last);
      last = n;
    });
  }, 1000);
  const createRate = during ? await during() : undefined;
  const deadline = nowMs() + (quick ? 120_000 : 600_000);
  let done = base;
  while ((done = await metrics.attemptCount('scheduled')) - base < target) {
    if (nowMs() > deadline) throw new Error(`${label}: only ${done - base} of ${target} pods scheduled in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = (nowMs() - start) / 1000;
  clearInterval(sampler);
  const h1 = await histogramTotals(metrics);
  // Every full second counts, stalls (0) included; the partial last second is not sampled.
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    label,
    pods: target,
    avg: target / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ...(createRate !== undefined ? { createRate } : {}),
    algorithmMs: ((h1.algSum - h0.algSum) / Math.max(1, h1.algCount - h0.algCount)) * 1000,
    attemptMs: ((h1.attSum - h0.attSum) / Math.max(1, h1.attCount - h0.attCount)) * 1000,
    attempts: h1.attCount - h0.attCount,
    failed: h1.failed - h0.failed,
    seconds: elapsed,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-sched-'));
  const server = startKite(['server', '--data-dir', dir, '--port', '0', '--disable-scheduler', '--disable-controller-manager', '--disable-admission-plugins', 'ServiceAccount']);
  const results: Measured[] = [];
  let setup = '';
  let running: RunningScheduler | undefined;
  let rest: RestClient | undefined;
  try {
    const ready = await server.waitFor(/ready/, 60_000);
    const url = /url="([^"]+)"/.exec(ready)?.[1] as string;
    const clients = Array.from({ length: N.clients }, () => new H2Client(url, dir));
    const admin = clients[0] as H2Client;
    expect(await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }), 201, 'namespace');

    log(`creating ${N.nodes} nodes`);
    const t0 = nowMs();
    const capacity = { cpu: '4', memory: '32Gi', pods: '110' };
    await parallel(clients, N.nodes, async (c, i) => {
      const name = `node-${i}`;
      const labels = { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % N.zones}` };
      expect(await c.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} }), 201, 'node create');
      const status = { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated' }] };
      expect(await c.request('PATCH', `/api/v1/nodes/${name}/status`, { status }, { 'content-type': 'application/merge-patch+json' }), 200, 'node status');
    });
    const nodeSecs = (nowMs() - t0) / 1000;
    log(`creating ${N.initPods} bound pods`);
    await parallel(clients, N.initPods, async (c, i) => {
      expect(await c.request('POST', `/api/v1/namespaces/${NS}/pods`, pod(`init-${i}`, `node-${(i * 7) % N.nodes}`)), 201, 'init pod');
    });
    setup = `${fmt(N.nodes)} nodes (create + status) in ${fmt(nodeSecs, 1)} s`;

    const kubeconfig = join(dir, 'admin.kubeconfig');
    const start = async (metrics: SchedulerMetrics) => {
      rest = RestClient.fromKubeconfig(kubeconfig, { overrides: { qps: 0 } });
      const t = nowMs();
      running = await startScheduler({ client: rest, logger: silentLogger, leaderElection: false, metrics });
      await running.started;
      log(`scheduler started (caches synced in ${fmt(nowMs() - t)} ms)`);
    };
    const stop = async () => {
      await running?.stop();
      rest?.close();
      running = undefined;
    };

    // 1. SchedulingBasic as scheduler_perf runs it: pods created while the scheduler runs.
    const metrics = new SchedulerMetrics();
    await start(metrics);
    log(`SchedulingBasic: creating ${N.pods} pods with ${N.clients} clients while scheduling`);
    results.push(
      await measure('SchedulingBasic (pods created while scheduling)', metrics, N.pods, () =>
        parallel(clients, N.pods, async (c, i) => {
          expect(await c.request('POST', `/api/v1/namespaces/${NS}/pods`, pod(`p-${i}`)), 201, 'pod create');
        }),
      ),
    );
    await running!.scheduler()?.idle();
    await stop();

    // 2. The scheduler alone on a backlog of pending pods.
    log(`backlog: creating ${N.pods} pending pods with no scheduler running`);
    await parallel(clients, N.pods, async (c, i) => {
      expect(await c.request('POST', `/api/v1/namespaces/${NS}/pods`, pod(`b-${i}`)), 201, 'pod create');
    });
    const metrics2 = new SchedulerMetrics();
    const syncStart = nowMs();
    await start(metrics2);
    const sync = (nowMs() - syncStart) / 1000;
    const backlog = await measure('backlog of pending pods, scheduler alone (after cache sync)', metrics2, N.pods);
    backlog.label += ` — cache sync of ${fmt(N.nodes + N.initPods + 2 * N.pods)} objects took ${fmt(sync, 1)} s, not counted`;
    results.push(backlog);
    await stop();
    for (const c of clients) c.close();
  } finally {
    await running?.stop().catch(() => {});
    server.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }

  process.stdout.write(`\nCommand: \`npm run bench -- scheduler${quick ? ' --quick' : ''}\`\nMachine: ${machine()}\n`);
  process.stdout.write(`Workload: SchedulingBasic — ${fmt(N.nodes)} nodes (cpu 4, memory 32Gi, pods 110, ${N.zones} zones), ${fmt(N.initPods)} pods already bound, ${fmt(N.pods)} pods measured (100m / 500Mi each); setup: ${setup}\n\n`);
  const rows = results.map((r) => [
    r.label,
    fmt(r.pods),
    fmt(r.avg),
    fmt(r.p50),
    fmt(r.p99),
    r.createRate !== undefined ? fmt(r.createRate) : '—',
    fmt(r.algorithmMs, 2),
    fmt(r.attemptMs, 2),
    `${fmt(r.attempts)} (${fmt(r.failed)} failed)`,
    fmt(r.seconds, 1),
  ]);
  process.stdout.write(
    markdownTable(
      ['run', 'pods', 'avg pods/s', 'p50 pods/s (1 s samples)', 'p99 pods/s (1 s samples)', 'pod creates/s (16 clients)', 'avg scheduling algorithm, ms', 'avg attempt incl. binding, ms', 'attempts', 'seconds'],
      rows,
    ) + '\n',
  );
}

await main();
