// `npm run bench -- scheduler [WORKLOAD ...|all] [--quick]`: kube's scheduler_perf workloads
// (bench/support/scheduler-workloads.ts: SchedulingBasic — the default —, SchedulingPodAntiAffinity,
// TopologySpreading, SchedulingWithMixedChurn) against a running `kite server --disable-scheduler`
// with simulated nodes (Node objects only: allocatable cpu 4, memory 32Gi, pods 110, Ready=True,
// hostname and zone labels) and Kite's scheduler started in this process (startScheduler, no
// leader election, no client-side rate limit). Each workload gets a fresh server: nodes, the init
// pods created already bound (untimed), then the measured pods created by 16 HTTP/2 clients while
// the scheduler runs, as scheduler_perf does (with churn beside it for SchedulingWithMixedChurn).
// Throughput is sampled every second from scheduler_schedule_attempts_total{result="scheduled"}
// (pods whose binding completed); cycle times come from the scheduler's own histograms.
// SchedulingBasic also measures the scheduler alone on a backlog: the scheduler is stopped, as many
// pods again are created, and a new scheduler (fresh informers) drains them. `--quick`: 500 nodes,
// a tenth of the pods. Each row also gives the CPU time per scheduled pod of this process (clients
// and scheduler) and of the server child (/proc/PID/stat), which a shared machine disturbs less than
// the rates. Prints a markdown table for docs/benchmarks.md.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient } from '../src/client/rest/index.js';
import { SchedulerMetrics, startScheduler, type RunningScheduler } from '../src/scheduler/index.js';
import { silentLogger } from '../src/util/log.js';
import { startKite } from '../test/support/kite-process.js';
import { H2Client } from './support/h2-client.js';
import { NODE_CAPACITY, nodeManifest, workloads, type Workload } from './support/scheduler-workloads.js';
import { fmt, machine, markdownTable, nowMs, percentile } from './support/stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const CLIENTS = 16;
const log = (m: string) => process.stderr.write(`[scheduler] ${m}\n`);

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

/** CPU seconds (user + system) this process and the server child have used so far. */
interface CpuTimes {
  bench: number;
  server: number;
}

/** The server's CPU seconds from /proc/PID/stat (utime + stime, in clock ticks of 1/100 s); 0 elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function cpuTimes(serverPid: number | undefined): CpuTimes {
  const u = process.cpuUsage();
  return { bench: (u.user + u.system) / 1e6, server: processCpuSeconds(serverPid) };
}

interface Measured {
  label: string;
  /** CPU milliseconds per scheduled pod: this process (clients and scheduler), and the server. */
  benchCpuMsPerPod: number;
  serverCpuMsPerPod: number;
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
async function measure(label: string, metrics: SchedulerMetrics, target: number, serverPid: number | undefined, during?: () => Promise<number>): Promise<Measured> {
  const cpu0 = cpuTimes(serverPid);
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
  const cpu1 = cpuTimes(serverPid);
  clearInterval(sampler);
  const h1 = await histogramTotals(metrics);
  // Every full second counts, stalls (0) included; the partial last second is not sampled.
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    label,
    benchCpuMsPerPod: ((cpu1.bench - cpu0.bench) / target) * 1000,
    serverCpuMsPerPod: ((cpu1.server - cpu0.server) / target) * 1000,
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

async function createNodes(clients: H2Client[], w: Workload): Promise<number> {
  const t0 = nowMs();
  await parallel(clients, w.nodes, async (c, i) => {
    const name = `node-${i}`;
    expect(await c.request('POST', '/api/v1/nodes', nodeManifest(name, w.zones[i % w.zones.length]!)), 201, 'node create');
    const status = { capacity: NODE_CAPACITY, allocatable: NODE_CAPACITY, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated' }] };
    expect(await c.request('PATCH', `/api/v1/nodes/${name}/status`, { status }, { 'content-type': 'application/merge-patch+json' }), 200, 'node status');
  });
  return (nowMs() - t0) / 1000;
}

/** churn, mode recreate: every interval, delete what the last round made and make a new set. */
function startChurn(client: H2Client, w: Workload): { stop(): Promise<number> } {
  if (!w.churn) return { stop: async () => 0 };
  const churn = w.churn;
  let round = 0;
  let previous: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = nowMs();
      for (const path of previous) await client.request('DELETE', path);
      previous = [];
      for (const o of churn.objects(round)) {
        const r = await client.request('POST', o.path, o.body);
        expect(r, 201, `churn ${o.path}`);
        previous.push(`${o.path}/${(o.body['metadata'] as { name: string }).name}`);
      }
      round++;
      const wait = churn.intervalMs - (nowMs() - t);
      if (wait > 0 && !stopped) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return round;
    },
  };
}

interface WorkloadResult {
  workload: Workload;
  setup: string;
  rows: Measured[];
}

async function runWorkload(w: Workload): Promise<WorkloadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-sched-'));
  // KITE_BENCH_SERVER_NODE_ARGS: node flags for the server child (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
  const serverNodeArgs = (process.env['KITE_BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const server = startKite(['server', '--data-dir', dir, '--port', '0', '--disable-scheduler', '--disable-controller-manager', '--disable-admission-plugins', 'ServiceAccount'], process.env, serverNodeArgs);
  const rows: Measured[] = [];
  let setup = '';
  let running: RunningScheduler | undefined;
  let rest: RestClient | undefined;
  try {
    const ready = await server.waitFor(/ready/, 60_000);
    const url = /url="([^"]+)"/.exec(ready)?.[1] as string;
    const clients = Array.from({ length: CLIENTS }, () => new H2Client(url, dir));
    const admin = clients[0] as H2Client;
    for (const ns of w.namespaces) expect(await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 201, 'namespace');

    for (const o of w.setupObjects ?? []) expect(await admin.request('POST', o.path, o.body), 201, `setup ${o.path}`);
    log(`${w.name}: creating ${w.nodes} nodes`);
    const nodeSecs = await createNodes(clients, w);
    log(`${w.name}: creating ${w.initPods} bound pods`);
    await parallel(clients, w.initPods, async (c, i) => {
      const { namespace, pod } = w.initPod(`init-${i}`, `node-${(i * 7) % w.nodes}`);
      expect(await c.request('POST', `/api/v1/namespaces/${namespace}/pods`, pod), 201, 'init pod');
    });
    setup = `${fmt(w.nodes)} nodes (create + status) in ${fmt(nodeSecs, 1)} s`;

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

    // Pods created while the scheduler runs, as scheduler_perf does (churn beside it, if any).
    const metrics = new SchedulerMetrics();
    await start(metrics);
    const churn = startChurn(clients[CLIENTS - 1] as H2Client, w);
    log(`${w.name}: creating ${w.measurePods} pods with ${CLIENTS} clients while scheduling`);
    const creators = w.churn ? clients.slice(0, CLIENTS - 1) : clients;
    const row = await measure(`${w.name} (pods created while scheduling)`, metrics, w.measurePods, server.child.pid, () =>
      parallel(creators, w.measurePods, async (c, i) => {
        const { namespace, pod } = w.measurePod(`p-${i}`);
        expect(await c.request('POST', `/api/v1/namespaces/${namespace}/pods`, pod), 201, 'pod create');
      }),
    );
    const rounds = await churn.stop();
    if (w.churn) row.label += ` — ${fmt(rounds)} churn rounds (a node, a priority-10 pod asking cpu 9, a service; recreated every ${w.churn.intervalMs} ms)`;
    rows.push(row);
    await running!.scheduler()?.idle();
    await stop();

    if (w.backlog) {
      // The scheduler alone on a backlog of pending pods.
      log(`${w.name}: backlog: creating ${w.measurePods} pending pods with no scheduler running`);
      await parallel(clients, w.measurePods, async (c, i) => {
        const { namespace, pod } = w.measurePod(`b-${i}`);
        expect(await c.request('POST', `/api/v1/namespaces/${namespace}/pods`, pod), 201, 'pod create');
      });
      const metrics2 = new SchedulerMetrics();
      const syncStart = nowMs();
      await start(metrics2);
      const sync = (nowMs() - syncStart) / 1000;
      const backlog = await measure(`${w.name}: backlog of pending pods, scheduler alone (after cache sync)`, metrics2, w.measurePods, server.child.pid);
      backlog.label += ` — cache sync of ${fmt(w.nodes + w.initPods + 2 * w.measurePods)} objects took ${fmt(sync, 1)} s, not counted`;
      rows.push(backlog);
      await stop();
    }
    for (const c of clients) c.close();
  } finally {
    await running?.stop().catch(() => {});
    server.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return { workload: w, setup, rows };
}

async function main(): Promise<void> {
  const all = workloads(quick);
  const names = argv.filter((a) => !a.startsWith('--'));
  const chosen = names.includes('all') ? all : names.length === 0 ? all.filter((w) => w.name === 'SchedulingBasic') : names.map((n) => all.find((w) => w.name === n) ?? n);
  const unknown = chosen.filter((w): w is string => typeof w === 'string');
  if (unknown.length > 0) {
    process.stderr.write(`unknown workload(s) ${unknown.join(', ')}; one of: ${all.map((w) => w.name).join(', ')}, all\n`);
    process.exit(2);
  }
  const results: WorkloadResult[] = [];
  const load: number[][] = [];
  const sampler = setInterval(() => load.push(loadavg()), 5000);
  for (const w of chosen as Workload[]) results.push(await runWorkload(w));
  clearInterval(sampler);

  const loads = load.map((l) => l[0]!);
  process.stdout.write(`\nCommand: \`npm run bench -- scheduler ${names.join(' ')}${quick ? ' --quick' : ''}\`\nMachine: ${machine()}\n`);
  if (loads.length > 0) process.stdout.write(`Load average (1 min) during the run: min ${fmt(Math.min(...loads), 1)}, mean ${fmt(loads.reduce((a, b) => a + b, 0) / loads.length, 1)}, max ${fmt(Math.max(...loads), 1)}\n`);
  for (const r of results) {
    const w = r.workload;
    process.stdout.write(`\n${w.name}: ${fmt(w.nodes)} nodes (cpu 4, memory 32Gi, pods 110; zones ${w.zones.join(', ')}), ${fmt(w.initPods)} pods already bound, ${fmt(w.measurePods)} pods measured; setup: ${r.setup}\n`);
  }
  const rows = results.flatMap((r) => r.rows).map((r) => [
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
    fmt(r.benchCpuMsPerPod, 2),
    fmt(r.serverCpuMsPerPod, 2),
  ]);
  process.stdout.write(
    '\n' +
      markdownTable(
        ['run', 'pods', 'avg pods/s', 'p50 pods/s (1 s samples)', 'p99 pods/s (1 s samples)', 'pod creates/s', 'avg scheduling algorithm, ms', 'avg attempt incl. binding, ms', 'attempts', 'seconds', 'CPU ms per pod: bench process (clients + scheduler)', 'CPU ms per pod: server'],
        rows,
      ) +
      '\n',
  );
}

await main();
