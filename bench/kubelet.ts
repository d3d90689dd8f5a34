// `npm run bench -- kubelet`: pod startup latency, burst throughput and density of one kubelet,
// for the process runtime and for containerd (a private containerd from
// test/support/containerd-process.ts, the busybox image already imported, so no pull is timed).
//
// The kubelet runs alone in its own process: a `kite server --disable-agent --disable-scheduler`
// (API server and the controller manager, which approves and signs the agent's CSRs) and a
// `kite agent` joined with a bootstrap token (`kite token create --print-join-command`). Pods are
// created bound (spec.nodeName), so no scheduler is involved and only the kubelet's part is timed.
// A pod's startup latency runs from the start of its create call to the watch event that first
// shows it Running (create → Running seen through a watch, the pod startup SLI).
//
// The phases follow Kubernetes' node e2e density test (kubernetes/kubernetes
// test/e2e_node/density_test.go):
//  1. "create a sequence of pods" — the latency of record: 10 background pods created at once and
//     waited to Running, a settle pause (density_test.go: sleepBeforeCreatePods, 30 s), then 100
//     test pods created one at a time, each waited to Running before the next is created
//     (createBatchPodSequential). The node then holds 110 pods, its pod capacity.
//  2. Density: at those 110 Running pods, the `kite agent` process (the kubelet alone) and the
//     `kite server` process are sampled from /proc/PID for 20 s: VmRSS (max of 1 s samples),
//     VmHWM and utime + stime; the agent's RSS right after it joined (0 pods) is printed beside them.
//  3. "create a batch of pods" — the burst: every pod deleted, the settle pause, then 100 pods
//     created concurrently (createBatchPodWithRateControl with interval 0); per-pod latency, the
//     batch lag (first create → last Running) and pods/s. A throughput figure, not the SLI.
//  For containerd, before the kite processes start, the CRI baseline: the same 100-pod burst sent
//  straight to containerd's CRI (sandbox, then a container created and started), with no kubelet
//  and no API server, which bounds what the kubelet can reach on this machine.
//
// Flags: `--runtime process|containerd` (one runtime only), `--pods N` (test pods, default 100;
// the background pods make up the rest of 110), `--settle S` (seconds, default 30), `--sample S`
// (seconds, default 20), `--agent-node-args "…"` (flags for the agent's node, e.g. V8 heap flags,
// to compare configurations; none by default). Load averages are recorded, since the machine may be shared. Prints
// ready-to-paste markdown on stdout; progress goes to stderr.

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { RestClient, resources, type Watch } from '../src/client/rest/index.js';
import { silentLogger } from '../src/util/log.js';
import type { ContainerRuntime, PodSandboxConfig } from '../src/runtime/runtime.js';
import { startContainerd, type ContainerdProcess } from '../test/support/containerd-process.js';
import { kiteBin, startKite, type KiteProcess } from '../test/support/kite-process.js';
import { startKiteServer, stopKiteServer, type KiteServer } from '../test/support/kite-server.js';
import { fmt, machine, markdownTable, nowMs, percentile } from './support/stats.js';

const NS = 'default';
const NODE = 'bench-node';
const LABEL = 'app=kubelet-bench';
const DENSITY_PODS = 110;
const BUSYBOX = 'kite.local/busybox:1';
const TARGET_P99_MS: Record<RuntimeKind, number> = { process: 1000, containerd: 2000 };
const TARGET_RSS_MB = 100;
const log = (m: string) => process.stderr.write(`[kubelet] ${m}\n`);
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const numberArg = (name: string, fallback: number): number => {
  const text = arg(name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} wants a number, not ${text}`);
  return n;
};
const only = arg('--runtime');
const TEST_PODS = numberArg('--pods', 100);
const BACKGROUND_PODS = Math.max(0, DENSITY_PODS - TEST_PODS);
const SETTLE_MS = numberArg('--settle', 30) * 1000;
const SAMPLE_MS = numberArg('--sample', 20) * 1000;
const AGENT_NODE_ARGS = (arg('--agent-node-args') ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load1 = () => loadavg()[0]!;
const run = promisify(execFile);
type RuntimeKind = 'process' | 'containerd';

interface Latencies {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

interface ProcUsage {
  /** Max VmRSS of the 1 s samples, MB. */
  rssMb: number;
  /** VmHWM at the end of the sampling: the process's peak RSS so far, MB. */
  hwmMb: number;
  /** utime + stime over the sampling, % of one core. */
  cpuPercent: number;
}

interface Burst extends Latencies {
  /** First create → last Running, s. */
  lagS: number;
  podsPerS: number;
}

interface Result {
  runtime: RuntimeKind;
  sequence: Latencies & { loads: number[] };
  density: { agent: ProcUsage; server: ProcUsage; loads: number[]; agentIdleRssMb: number };
  burst: Burst & { loads: number[]; agentHwmMb: number };
  /** containerd alone, the same burst straight to the CRI. */
  baseline?: Burst & { loads: number[] };
}

function latencies(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, count: sorted.length };
}

function pod(name: string, kind: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'kubelet-bench', type: kind } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

/** utime + stime (clock ticks → ms), VmRSS and VmHWM (MB) of a process. */
function readProc(pid: number): { cpuMs: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / 100, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Samples every pid once a second for `ms`. */
async function sampleProcs(pids: number[], ms: number): Promise<ProcUsage[]> {
  const before = pids.map(readProc);
  const rss = pids.map(() => [] as number[]);
  const t0 = nowMs();
  while (nowMs() - t0 < ms) {
    await sleep(1000);
    pids.forEach((pid, i) => rss[i]!.push(readProc(pid).rssMb));
  }
  const elapsed = nowMs() - t0;
  return pids.map((pid, i) => {
    const end = readProc(pid);
    return { rssMb: Math.max(...rss[i]!), hwmMb: end.hwmMb, cpuPercent: ((end.cpuMs - before[i]!.cpuMs) / elapsed) * 100 };
  });
}

interface RunningWatch {
  /** Per pod name, when a watch event first showed it Running. */
  running: Map<string, number>;
  watch: Watch<Pod>;
  waitRunning(names: string[], timeoutMs: number): Promise<void>;
}

async function watchRunning(rest: RestClient): Promise<RunningWatch> {
  const client = rest.resource<Pod>(resources.PODS).namespace(NS);
  const list = await client.list({ labelSelector: LABEL });
  const watch = await client.watch({ labelSelector: LABEL, resourceVersion: list.metadata.resourceVersion });
  const running = new Map<string, number>();
  const latest = new Map<string, Pod>();
  const waiters = new Set<() => void>();
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
  })().catch((err: unknown) => log(`the watch ended: ${String(err)}`));
  return {
    running,
    watch,
    waitRunning(names, timeoutMs) {
      return new Promise((resolve, reject) => {
        const pending = () => names.filter((n) => !running.has(n));
        const timer = setTimeout(() => {
          waiters.delete(check);
          const others = pending();
          const detail = others
            .slice(0, 5)
            .map((n) => `${n}: ${JSON.stringify(latest.get(n)?.status ?? 'no event')}`)
            .join('\n');
          reject(new Error(`${others.length} of ${names.length} pods not Running after ${timeoutMs} ms:\n${detail}`));
        }, timeoutMs);
        const check = () => {
          if (pending().length === 0) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

async function waitNodeReady(rest: RestClient, name: string): Promise<void> {
  const nodes = rest.resource<Node>(resources.NODES);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const node = await nodes.get(name).catch(() => undefined);
    if (node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`node ${name} not Ready within 90 s`);
    await sleep(200);
  }
}

/** TEST_PODS pods sent to the CRI at once: per-pod latency from the burst's start to its container started. */
async function criBaseline(containerd: ContainerdProcess): Promise<Burst & { loads: number[] }> {
  const runtime: ContainerRuntime = containerd.runtime();
  const loads = [load1()];
  const start = nowMs();
  const samples = await Promise.all(
    Array.from({ length: TEST_PODS }, async (_, i) => {
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
  loads.push(load1());
  for (const sandbox of await runtime.listPodSandbox({ labelSelector: { 'kite.bench/baseline': 'true' } })) {
    await runtime.stopPodSandbox(sandbox.id);
    await runtime.removePodSandbox(sandbox.id);
  }
  const l = latencies(samples);
  return { ...l, lagS: l.max / 1000, podsPerS: (TEST_PODS / l.max) * 1000, loads };
}

async function deletePods(rest: RestClient): Promise<void> {
  log('deleting the pods');
  const pods = rest.resource<Pod>(resources.PODS).namespace(NS);
  await pods.deleteCollection({ labelSelector: LABEL });
  const deadline = Date.now() + 300_000;
  while ((await pods.list({ labelSelector: LABEL })).items.length > 0) {
    if (Date.now() > deadline) throw new Error('pods not gone within 300 s');
    await sleep(500);
  }
}

/** `kite token create --print-join-command` → the agent's --server, --token and --ca-cert-hash. */
async function joinCommand(kubeconfig: string): Promise<{ server: string; token: string; hash: string }> {
  const { stdout } = await run(process.execPath, [kiteBin, 'token', 'create', '--kubeconfig', kubeconfig, '--ttl', '1h', '--print-join-command'], { timeout: 30_000 });
  const m = /^kite agent --server (\S+) --token (\S+) --ca-cert-hash (\S+)\n$/.exec(stdout);
  if (!m) throw new Error(`unexpected join command: ${stdout}`);
  return { server: m[1]!, token: m[2]!, hash: m[3]! };
}

async function stopAgent(agent: KiteProcess): Promise<void> {
  agent.kill('SIGTERM');
  const code = await Promise.race([agent.exited, sleep(30_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    agent.kill('SIGKILL');
    throw new Error('kite agent did not exit within 30 s of SIGTERM');
  }
  if (code !== 0) throw new Error(`kite agent exited with ${code}:\n${agent.stderr().slice(-2000)}`);
}

async function runRuntime(kind: RuntimeKind): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `kite-bench-kubelet-${kind}-`));
  let containerd: ContainerdProcess | undefined;
  let server: KiteServer | undefined;
  let agent: KiteProcess | undefined;
  let rest: RestClient | undefined;
  let watched: RunningWatch | undefined;
  let baseline: Result['baseline'];
  try {
    const agentRuntime: string[] = [];
    if (kind === 'containerd') {
      containerd = await startContainerd();
      containerd.addImage({ name: BUSYBOX });
      log(`containerd alone: ${TEST_PODS} pods straight to the CRI at once`);
      baseline = await criBaseline(containerd);
      log(`containerd alone: p50 ${fmt(baseline.p50)} ms, p99 ${fmt(baseline.p99)} ms, ${fmt(baseline.podsPerS, 1)} pods/s`);
      agentRuntime.push('--runtime', 'containerd', '--containerd-endpoint', containerd.address, '--containerd-netns', containerd.netns, '--cgroup-root', containerd.cgroupParent);
    }
    // API server + controller manager (CSR approval and signing for the agent); no scheduler, no kubelet
    server = await startKiteServer(join(dir, 'server'), { controllers: true });
    const join_ = await joinCommand(server.kubeconfig);
    agent = startKite([
      'agent',
      '--server', join_.server,
      '--token', join_.token,
      '--ca-cert-hash', join_.hash,
      '--data-dir', join(dir, 'agent'),
      '--node-name', NODE,
      '--node-ip', '127.0.0.1',
      '--kubelet-port', '0',
      ...agentRuntime,
    ], process.env, AGENT_NODE_ARGS);
    await agent.waitFor(/\bready\b.*node=/, 120_000);
    const agentPid = agent.child.pid!;
    const serverPid = server.process.child.pid!;
    rest = RestClient.fromKubeconfig(server.kubeconfig, { logger: silentLogger, overrides: { qps: 1000, burst: 1000 } });
    await waitNodeReady(rest, NODE);
    const agentIdleRssMb = readProc(agentPid).rssMb;
    const pods = rest.resource<Pod>(resources.PODS).namespace(NS);
    watched = await watchRunning(rest);
    const w = watched;

    // 1. sequence: background pods, settle, then the test pods one at a time
    const sequenceLoads = [load1()];
    log(`${kind}: ${BACKGROUND_PODS} background pods`);
    const background = Array.from({ length: BACKGROUND_PODS }, (_, i) => `bg-${i}`);
    await Promise.all(background.map((name) => pods.create(pod(name, 'background'))));
    await w.waitRunning(background, 300_000);
    await sleep(SETTLE_MS);
    log(`${kind}: ${TEST_PODS} pods one at a time`);
    const sequential: number[] = [];
    for (let i = 0; i < TEST_PODS; i++) {
      const name = `seq-${i}`;
      const t = nowMs();
      await pods.create(pod(name, 'sequence'));
      await w.waitRunning([name], 120_000);
      sequential.push(w.running.get(name)! - t);
    }
    sequenceLoads.push(load1());
    const sequence = latencies(sequential);
    log(`${kind}: sequential startup p50 ${fmt(sequence.p50)} ms, p99 ${fmt(sequence.p99)} ms`);

    // 2. density: the node holds BACKGROUND_PODS + TEST_PODS pods
    log(`${kind}: sampling the agent and the server at ${BACKGROUND_PODS + TEST_PODS} pods for ${SAMPLE_MS / 1000} s`);
    const densityLoads = [load1()];
    const [agentUsage, serverUsage] = await sampleProcs([agentPid, serverPid], SAMPLE_MS);
    densityLoads.push(load1());
    log(`${kind}: agent RSS ${fmt(agentUsage!.rssMb)} MB, CPU ${fmt(agentUsage!.cpuPercent, 1)} %; server RSS ${fmt(serverUsage!.rssMb)} MB, CPU ${fmt(serverUsage!.cpuPercent, 1)} %`);

    // 3. burst: all test pods created at once on an empty node
    await deletePods(rest);
    await sleep(SETTLE_MS);
    log(`${kind}: ${TEST_PODS} pods created at once`);
    const burstLoads = [load1()];
    const names = Array.from({ length: TEST_PODS }, (_, i) => `burst-${i}`);
    const created = new Map<string, number>();
    await Promise.all(
      names.map((name) => {
        created.set(name, nowMs());
        return pods.create(pod(name, 'burst'));
      }),
    );
    await w.waitRunning(names, 600_000);
    burstLoads.push(load1());
    const burstSamples = names.map((n) => w.running.get(n)! - created.get(n)!);
    const firstCreate = Math.min(...created.values());
    const lastRunning = Math.max(...names.map((n) => w.running.get(n)!));
    const lagMs = lastRunning - firstCreate;
    const burst = { ...latencies(burstSamples), lagS: lagMs / 1000, podsPerS: (TEST_PODS / lagMs) * 1000, loads: burstLoads, agentHwmMb: readProc(agentPid).hwmMb };
    log(`${kind}: burst p50 ${fmt(burst.p50)} ms, p99 ${fmt(burst.p99)} ms, ${fmt(burst.podsPerS, 1)} pods/s`);

    return {
      runtime: kind,
      sequence: { ...sequence, loads: sequenceLoads },
      density: { agent: agentUsage!, server: serverUsage!, loads: densityLoads, agentIdleRssMb },
      burst,
      ...(baseline ? { baseline } : {}),
    };
  } finally {
    watched?.watch.stop();
    // the kubelet removes the pods' containers (process-runtime containers outlive kite agent)
    if (rest && agent) await deletePods(rest).catch((err: unknown) => log(`deleting the pods: ${String(err)}`));
    rest?.close();
    if (agent) await stopAgent(agent).catch((err: unknown) => log(`stopping kite agent: ${String(err)}`));
    if (server) await stopKiteServer(server, 60_000).catch((err: unknown) => log(`stopping kite server: ${String(err)}`));
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const startLoad = load1();
const kinds: RuntimeKind[] = only === 'process' || only === 'containerd' ? [only] : ['process', 'containerd'];
const results: Result[] = [];
for (const kind of kinds) results.push(await runRuntime(kind));

const loads = (l: number[]) => l.map((x) => fmt(x, 1)).join(' → ');
const ratio = (value: number, target: number) => `${fmt(value / target, 2)}×`;
const args = [only ? `--runtime ${only}` : '', TEST_PODS !== 100 ? `--pods ${TEST_PODS}` : '', SETTLE_MS !== 30_000 ? `--settle ${SETTLE_MS / 1000}` : '', SAMPLE_MS !== 20_000 ? `--sample ${SAMPLE_MS / 1000}` : '', AGENT_NODE_ARGS.length ? `--agent-node-args "${AGENT_NODE_ARGS.join(' ')}"` : '']
  .filter(Boolean)
  .join(' ');
const out: string[] = [];
out.push(`Command: \`npm run bench -- kubelet${args ? ` ${args}` : ''}\``);
out.push(`Machine: ${machine()}; 1-minute load average at the start: ${fmt(startLoad, 1)}`);
out.push('');
out.push(
  `(a) Pod startup latency of record — sequential, as density_test.go's "create a sequence of pods": ${BACKGROUND_PODS} background pods, a ${SETTLE_MS / 1000} s pause, then ${TEST_PODS} pods created one at a time, each waited to Running (create call → Running seen through a watch):`,
);
out.push('');
out.push(
  markdownTable(
    ['runtime', 'p50, ms', 'p90, ms', 'p99, ms', 'max, ms', 'target p99', 'p99 / target', 'load average (1 min): before → after'],
    results.map((r) => [r.runtime, fmt(r.sequence.p50), fmt(r.sequence.p90), fmt(r.sequence.p99), fmt(r.sequence.max), `${fmt(TARGET_P99_MS[r.runtime] / 1000)} s`, ratio(r.sequence.p99, TARGET_P99_MS[r.runtime]), loads(r.sequence.loads)]),
  ),
);
out.push('');
out.push(`Density — ${BACKGROUND_PODS + TEST_PODS} Running pods on the node, each process sampled from /proc for ${SAMPLE_MS / 1000} s (RSS: max of 1 s VmRSS samples; peak: VmHWM; CPU: utime + stime, % of one core):`);
out.push('');
out.push(
  markdownTable(
    ['runtime', 'kubelet (`kite agent`) RSS at 0 pods, MB', 'kubelet RSS, MB', 'kubelet peak RSS, MB', `kubelet RSS / ${TARGET_RSS_MB} MB target`, 'kubelet CPU, %', '`kite server` RSS, MB', '`kite server` peak RSS, MB', '`kite server` CPU, %', 'load average (1 min): before → after'],
    results.map((r) => {
      const { agent, server } = r.density;
      return [r.runtime, fmt(r.density.agentIdleRssMb), fmt(agent.rssMb), fmt(agent.hwmMb), ratio(agent.rssMb, TARGET_RSS_MB), fmt(agent.cpuPercent, 1), fmt(server.rssMb), fmt(server.hwmMb), fmt(server.cpuPercent, 1), loads(r.density.loads)];
    }),
  ),
);
out.push('');
out.push(
  `(b) Burst — as density_test.go's "create a batch of pods" (interval 0): all pods deleted, a ${SETTLE_MS / 1000} s pause, then ${TEST_PODS} pods created at once on the empty node; a throughput figure, not the startup SLI. Batch lag: first create → last pod Running. For containerd, the CRI baseline: the same burst sent straight to containerd (sandbox, container created and started), no kubelet, no API server, before the kite processes start:`,
);
out.push('');
const burstRows: (string | number)[][] = [];
for (const r of results) {
  burstRows.push([`${r.runtime}, kubelet`, fmt(r.burst.p50), fmt(r.burst.p99), fmt(r.burst.max), fmt(r.burst.lagS, 1), fmt(r.burst.podsPerS, 1), fmt(r.burst.agentHwmMb), loads(r.burst.loads)]);
  if (r.baseline) burstRows.push([`${r.runtime} alone (CRI baseline)`, fmt(r.baseline.p50), fmt(r.baseline.p99), fmt(r.baseline.max), fmt(r.baseline.lagS, 1), fmt(r.baseline.podsPerS, 1), '—', loads(r.baseline.loads)]);
}
out.push(markdownTable(['runtime', 'per-pod p50, ms', 'per-pod p99, ms', 'max, ms', 'batch lag, s', 'pods/s', 'kubelet peak RSS after the burst, MB', 'load average (1 min): before → after'], burstRows));
process.stdout.write(`\n${out.join('\n')}\n`);
