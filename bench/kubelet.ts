// `npm run bench -- kubelet`: the kubelet inside a real `kite server` (API server and kubelet; no
// scheduler — pods are created bound with spec.nodeName, so only the kubelet's part is timed —
// and no controller manager) on one node, for the process runtime and for containerd (a private
// containerd from test/support/containerd-process.ts, the busybox image already imported, so no
// pull is timed). Pod startup latency: 100 pods created one after another by this process, each
// timed from the start of its create call to the watch event that first shows it Running (kube's
// pod startup SLI, as the density test measures it: create → Running seen through a watch). Then
// density: 10 more pods bring the node to 110 (its pod capacity), and once all 110 are Running the
// `kite server` process — API server, scheduler and kubelet together, the kubelet is not alone —
// is sampled from /proc for RSS and CPU over a steady 20 s. Load averages are recorded, since the
// machine is shared. For containerd, a baseline first: the same 100 pods (sandbox, then a
// container created and started) sent straight to containerd's CRI at once, with no kubelet and no
// API server, which bounds what the kubelet can reach on this machine.
// `--runtime process|containerd` runs one runtime only. Prints markdown.

import { mkdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { RestClient, resources, type Watch } from '../src/client/rest/index.js';
import { silentLogger } from '../src/util/log.js';
import type { ContainerRuntime, PodSandboxConfig } from '../src/runtime/runtime.js';
import { startContainerd, type ContainerdProcess } from '../test/support/containerd-process.js';
import { startKiteServer, stopKiteServer, type KiteServer } from '../test/support/kite-server.js';
import { fmt, machine, markdownTable, nowMs, summarize } from './support/stats.js';

const NS = 'default';
const NODE = 'bench-node';
const LATENCY_PODS = 100;
const DENSITY_PODS = 110;
const SAMPLE_MS = 20_000;
const BUSYBOX = 'kite.local/busybox:1';
const log = (m: string) => process.stderr.write(`[kubelet] ${m}\n`);
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = arg('--runtime');
type RuntimeKind = 'process' | 'containerd';

interface Result {
  runtime: RuntimeKind;
  p50: number;
  p99: number;
  max: number;
  densitySeconds: number;
  rssMb: number;
  peakRssMb: number;
  cpuPercent: number;
  load: string;
  /** containerd alone: per-pod sandbox + container start latency for the same burst, ms. */
  baseline?: { p50: number; p99: number };
}

function pod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'kubelet-bench' } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

/** utime + stime (clock ticks → ms) and VmRSS (MB) of a process. */
function sampleProc(pid: number): { cpuMs: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / 100, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Records, per pod name, when a watch event first showed it Running. */
async function watchRunning(rest: RestClient): Promise<{ running: Map<string, number>; watch: Watch<Pod>; waitFor(n: number, timeoutMs: number): Promise<void> }> {
  const client = rest.resource<Pod>(resources.PODS).namespace(NS);
  const list = await client.list({ labelSelector: 'app=kubelet-bench' });
  const watch = await client.watch({ labelSelector: 'app=kubelet-bench', resourceVersion: list.metadata.resourceVersion });
  const running = new Map<string, number>();
  const latest = new Map<string, Pod>();
  const describeOthers = () =>
    [...latest.values()]
      .filter((p) => !running.has(p.metadata?.name ?? ''))
      .slice(0, 5)
      .map((p) => `${p.metadata?.name}: ${p.spec?.nodeName ?? 'unscheduled'} ${JSON.stringify(p.status)}`)
      .join('\n');
  const waiters: (() => void)[] = [];
  void (async () => {
    for await (const ev of watch) {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
      const name = ev.object.metadata?.name ?? '';
      latest.set(name, ev.object);
      if (ev.object.status?.phase === 'Running' && !running.has(name)) {
        running.set(name, nowMs());
        for (const w of waiters) w();
      }
    }
  })();
  return {
    running,
    watch,
    waitFor(n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${running.size} of ${n} pods Running after ${timeoutMs} ms; others: ${describeOthers()}`)), timeoutMs);
        const check = () => {
          if (running.size >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        check();
      });
    },
  };
}

async function waitNodeReady(rest: RestClient, name: string): Promise<void> {
  const nodes = rest.resource<Node>(resources.NODES);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const node = await nodes.get(name).catch(() => undefined);
    if (node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`node ${name} not Ready within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** LATENCY_PODS pods sent to the CRI at once: per-pod latency from the burst's start to its container started. */
async function criBaseline(containerd: ContainerdProcess): Promise<{ p50: number; p99: number }> {
  const runtime: ContainerRuntime = containerd.runtime();
  const start = nowMs();
  const latencies = await Promise.all(
    Array.from({ length: LATENCY_PODS }, async (_, i) => {
      const uid = `baseline-${i}`;
      const sandbox: PodSandboxConfig = {
        metadata: { name: uid, namespace: NS, uid, attempt: 0 },
        hostname: uid,
        logDirectory: join(containerd.logRoot, uid),
        portMappings: [],
        labels: { 'kite.bench/baseline': 'true' },
        annotations: {},
        hostNetwork: false,
        cgroupParent: containerd.cgroupParent,
      };
      mkdirSync(sandbox.logDirectory, { recursive: true });
      const id = await runtime.runPodSandbox(sandbox);
      const container = await runtime.createContainer(
        id,
        { metadata: { name: 'main', attempt: 0 }, image: BUSYBOX, command: ['sleep', '3600'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: 'main/0.log', stdin: false, stdinOnce: false, tty: false },
        sandbox,
      );
      await runtime.startContainer(container);
      return nowMs() - start;
    }),
  );
  for (const sandbox of await runtime.listPodSandbox({ labelSelector: { 'kite.bench/baseline': 'true' } })) {
    await runtime.stopPodSandbox(sandbox.id);
    await runtime.removePodSandbox(sandbox.id);
  }
  const s = summarize(latencies);
  return { p50: s.p50, p99: s.p99 };
}

async function deletePods(rest: RestClient): Promise<void> {
  log('deleting the pods');
  const pods = rest.resource<Pod>(resources.PODS).namespace(NS);
  await pods.deleteCollection({ labelSelector: 'app=kubelet-bench' });
  const deadline = Date.now() + 180_000;
  while ((await pods.list({ labelSelector: 'app=kubelet-bench' })).items.length > 0) {
    if (Date.now() > deadline) throw new Error('pods not gone within 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function run(kind: RuntimeKind): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `kite-bench-kubelet-${kind}-`));
  let containerd: ContainerdProcess | undefined;
  let server: KiteServer | undefined;
  let rest: RestClient | undefined;
  let baseline: { p50: number; p99: number } | undefined;
  const loads: number[] = [loadavg()[0]!];
  try {
    const extraArgs = ['--node-name', NODE];
    if (kind === 'containerd') {
      containerd = await startContainerd();
      containerd.addImage({ name: BUSYBOX });
      baseline = await criBaseline(containerd);
      log(`containerd alone: p50 ${fmt(baseline.p50)} ms, p99 ${fmt(baseline.p99)} ms`);
      extraArgs.push('--runtime', 'containerd', '--containerd-endpoint', containerd.address, '--containerd-netns', containerd.netns, '--cgroup-root', containerd.cgroupParent);
    }
    server = await startKiteServer(join(dir, 'server'), { kubelet: true, extraArgs });
    const pid = server.process.child.pid!;
    rest = RestClient.fromKubeconfig(server.kubeconfig, { logger: silentLogger, overrides: { qps: 1000, burst: 1000 } });
    await waitNodeReady(rest, NODE);
    const pods = rest.resource<Pod>(resources.PODS).namespace(NS);
    const watched = await watchRunning(rest);

    log(`${kind}: creating ${LATENCY_PODS} pods`);
    const created = new Map<string, number>();
    for (let i = 0; i < LATENCY_PODS; i++) {
      const name = `lat-${i}`;
      created.set(name, nowMs());
      await pods.create(pod(name));
    }
    await watched.waitFor(LATENCY_PODS, 300_000);
    loads.push(loadavg()[0]!);
    const latencies = [...created].map(([name, t]) => watched.running.get(name)! - t);
    const s = summarize(latencies);
    log(`${kind}: startup p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`);

    log(`${kind}: density to ${DENSITY_PODS} pods`);
    const densityStart = nowMs();
    for (let i = LATENCY_PODS; i < DENSITY_PODS; i++) await pods.create(pod(`den-${i}`));
    await watched.waitFor(DENSITY_PODS, 300_000);
    const densitySeconds = (nowMs() - densityStart) / 1000;

    // steady state at 110 pods
    const before = sampleProc(pid);
    const t0 = nowMs();
    const rss: number[] = [];
    while (nowMs() - t0 < SAMPLE_MS) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(sampleProc(pid).rssMb);
    }
    const end = sampleProc(pid);
    loads.push(loadavg()[0]!);
    const cpuPercent = ((end.cpuMs - before.cpuMs) / (nowMs() - t0)) * 100;
    watched.watch.stop();
    return {
      runtime: kind,
      p50: s.p50,
      p99: s.p99,
      max: s.max,
      densitySeconds,
      rssMb: Math.max(...rss),
      peakRssMb: end.hwmMb,
      cpuPercent,
      load: loads.map((l) => fmt(l, 1)).join(' → '),
      ...(baseline ? { baseline } : {}),
    };
  } finally {
    // the kubelet removes the pods' containers (process-runtime containers outlive kite server)
    if (rest) await deletePods(rest).catch((err: unknown) => log(`deleting the pods: ${String(err)}`));
    rest?.close();
    if (server) await stopKiteServer(server, 60_000).catch((err: unknown) => log(`stopping kite server: ${String(err)}`));
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kinds: RuntimeKind[] = only === 'process' || only === 'containerd' ? [only] : ['process', 'containerd'];
const results: Result[] = [];
for (const kind of kinds) results.push(await run(kind));

process.stdout.write(`\nMachine: ${machine()}\nCommand: npm run bench -- kubelet${only ? ` --runtime ${only}` : ''}\n\n`);
process.stdout.write(
  markdownTable(
    ['runtime', `startup p50, ms (${LATENCY_PODS} pods)`, 'startup p99, ms', 'max, ms', `to ${DENSITY_PODS} pods Running, s (10 more)`, `kite server RSS at ${DENSITY_PODS} pods, MB (max of 1 s samples)`, 'peak RSS (VmHWM), MB', `kite server CPU at ${DENSITY_PODS} pods, % of one core (20 s)`, 'load average (1 min): start → after startup → after sampling'],
    results.map((r) => [r.runtime, fmt(r.p50), fmt(r.p99), fmt(r.max), fmt(r.densitySeconds, 1), fmt(r.rssMb), fmt(r.peakRssMb), fmt(r.cpuPercent, 1), r.load]),
  ) + '\n',
);
for (const r of results.filter((x) => x.baseline)) {
  process.stdout.write(
    `\n${r.runtime} alone, the same ${LATENCY_PODS} pods sent straight to the CRI at once (no kubelet): p50 ${fmt(r.baseline!.p50)} ms, p99 ${fmt(r.baseline!.p99)} ms\n`,
  );
}
