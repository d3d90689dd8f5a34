// `npm run bench -- controllers`: kube-controller-manager's workload controllers at scale. A
// `kite server` (controller manager in-process, flags below), Kite's scheduler in this process
// (startScheduler with an unlimited client, as the scheduler benchmark runs it) and simulated nodes (NodeSimulator in this process: Node objects with Leases, bound pods reported
// Running and Ready). 1,000 Deployments × 10 replicas on 100 nodes: the time from the first create
// until every Deployment reports 10 updated, available replicas; then a rolling update of all of
// them (a new image: default 25% surge / 25% unavailable) until every Deployment is complete again
// with no old pods left. API requests are counted from the server's /metrics
// (apiserver_request_total, by resource and verb) for each phase. `--quick`: 100 Deployments on
// 20 nodes; `--sqlite-sync MODE` is passed to the server; `--cpu-prof DIR` profiles it. Prints
// markdown for docs/benchmarks.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SharedInformerFactory, type SharedIndexInformer } from '../src/client/informer/index.js';
import { resources, RestClient } from '../src/client/rest/index.js';
import { startScheduler, type RunningScheduler } from '../src/scheduler/index.js';
import { silentLogger } from '../src/util/log.js';
import { startKite } from '../test/support/kite-process.js';
import { NodeSimulator } from '../test/support/node-simulator.js';
import { H2Client } from './support/h2-client.js';
import { fmt, machine, markdownTable, nowMs } from './support/stats.js';

const quick = process.argv.includes('--quick');
const N = { deployments: quick ? 100 : 1000, replicas: 10, nodes: quick ? 20 : 100, clients: 16 };
const NS = 'bench';
const syncMode = process.argv.includes('--sqlite-sync') ? process.argv[process.argv.indexOf('--sqlite-sync') + 1] : undefined;
const SERVER_ARGS = [
  '--disable-scheduler',
  '--kube-api-qps',
  '0',
  '--concurrent-deployment-syncs',
  '20',
  '--concurrent-replicaset-syncs',
  '20',
  ...(syncMode ? ['--sqlite-sync', syncMode] : []),
];
const log = (m: string) => process.stderr.write(`[controllers] ${m}\n`);

function deployment(i: number): Deployment {
  const name = `d-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: N.replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  };
}

/** apiserver_request_total summed by "verb resource[/subresource]". */
async function requestCounts(admin: H2Client): Promise<Map<string, number>> {
  const r = await admin.request('GET', '/metrics');
  const out = new Map<string, number>();
  for (const line of r.body.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const code = labels.code?.startsWith('2') ? '' : ` (${labels.code})`;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''}${code}`;
    out.set(key, (out.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

function diff(after: Map<string, number>, before: Map<string, number>): [string, number][] {
  return [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as [string, number]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
}

async function pool(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < count; i = next++) await op(i);
  }));
}

/** Resolves once `done` holds for every Deployment, judged on each event of a Deployment informer (no polling). */
function waitAll(deployments: SharedIndexInformer<Deployment>, what: string, done: (d: Deployment) => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = new Set<string>();
    const check = (d: Deployment) => {
      const name = d.metadata?.name ?? '';
      if (done(d)) ok.add(name);
      else ok.delete(name);
      if (ok.size === N.deployments) finish();
    };
    const reg = deployments.addEventHandler({ onAdd: check, onUpdate: (_, d) => check(d) });
    const progress = setInterval(() => log(`${what}: ${ok.size}/${N.deployments} done`), 10_000);
    const timer = setTimeout(() => finish(new Error(`${what}: only ${ok.size} of ${N.deployments} Deployments in time`)), timeoutMs);
    function finish(err?: Error) {
      clearInterval(progress);
      clearTimeout(timer);
      reg.remove();
      if (err) reject(err);
      else resolve();
    }
    for (const d of deployments.lister().list()) check(d);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kite-bench-ctrl-'));
  // `--cpu-prof DIR`: the server writes a V8 CPU profile there on exit.
  const profDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
  const server = startKite(['server', '--data-dir', dataDir, '--port', '0', ...SERVER_ARGS], process.env, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  let sim: NodeSimulator | undefined;
  let rest: RestClient | undefined;
  let scheduler: RunningScheduler | undefined;
  try {
    const ready = await server.waitFor(/ready/, 60_000);
    const url = /url="([^"]+)"/.exec(ready)?.[1] as string;
    const admin = new H2Client(url, dataDir);
    rest = RestClient.fromKubeconfig(join(dataDir, 'admin.kubeconfig'), { overrides: { qps: 0 } });
    await rest.resource(resources.NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    // The scheduler runs here with an unlimited client: inside kite server it uses the client's
    // default 5 requests/s, which caps binding at 5 pods/s.
    scheduler = await startScheduler({ client: rest, logger: silentLogger });
    sim = new NodeSimulator(rest, { leaseRenewMs: 10_000 });
    for (let i = 0; i < N.nodes; i += 20) await Promise.all(Array.from({ length: Math.min(20, N.nodes - i) }, (_, j) => sim!.addNode(`node-${i + j}`, { pods: '250' })));
    log(`${N.nodes} nodes ready; creating ${N.deployments} Deployments × ${N.replicas}`);

    const deps = rest.resource<Deployment>(resources.DEPLOYMENTS).namespace(NS);
    const informers = new SharedInformerFactory(rest);
    const deploymentInformer = informers.forResource<Deployment>(resources.DEPLOYMENTS);
    informers.start();
    await informers.waitForCacheSync();
    const m0 = await requestCounts(admin);
    const t0 = nowMs();
    await pool(N.deployments, N.clients, (i) => deps.create(deployment(i)));
    const createdAt = nowMs();
    const complete = (image: string) => (d: Deployment) =>
      d.spec?.template?.spec?.containers[0]?.image === image &&
      (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
      d.status?.updatedReplicas === N.replicas &&
      d.status?.availableReplicas === N.replicas &&
      d.status?.replicas === N.replicas;
    await waitAll(deploymentInformer, 'initial rollout', complete('registry.k8s.io/pause:3.10'), quick ? 120_000 : 600_000);
    const upSeconds = (nowMs() - t0) / 1000;
    const m1 = await requestCounts(admin);
    const pods = (await rest.resource<Pod>(resources.PODS).namespace(NS).list()).items.length;
    log(`all available after ${fmt(upSeconds, 1)} s (${pods} pods); rolling update`);

    const t1 = nowMs();
    await pool(N.deployments, N.clients, (i) => deps.patch(`d-${i}`, 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10-v2' }] } } } }));
    await waitAll(deploymentInformer, 'rolling update', complete('registry.k8s.io/pause:3.10-v2'), quick ? 120_000 : 600_000);
    const rollSeconds = (nowMs() - t1) / 1000;
    const m2 = await requestCounts(admin);
    const podsAfter = (await rest.resource<Pod>(resources.PODS).namespace(NS).list()).items.length;
    const problems = sim.problems().length;

    const d1 = diff(m1, m0);
    const d2 = diff(m2, m1);
    const total = (d: [string, number][]) => d.reduce((s, [, v]) => s + v, 0);
    process.stdout.write(`\nMachine: ${machine()}. Server flags: ${SERVER_ARGS.join(' ')}.\n\n`);
    process.stdout.write(
      markdownTable(
        ['phase', 'Deployments × replicas', 'nodes', 'seconds', 'API requests', 'requests/s'],
        [
          [`create → all available (creates took ${fmt((createdAt - t0) / 1000, 1)} s)`, `${N.deployments} × ${N.replicas}`, N.nodes, fmt(upSeconds, 1), fmt(total(d1)), fmt(total(d1) / upSeconds)],
          ['rolling update → all complete', `${N.deployments} × ${N.replicas}`, N.nodes, fmt(rollSeconds, 1), fmt(total(d2)), fmt(total(d2) / rollSeconds)],
        ],
      ),
    );
    process.stdout.write(`\npods at the end: ${podsAfter} (expected ${N.deployments * N.replicas}); node simulator problems: ${problems}\n\n`);
    process.stdout.write(markdownTable(['requests by verb and resource', 'create → available', 'rolling update'], [...new Set([...d1, ...d2].map(([k]) => k))].map((k) => [k, fmt(d1.find(([x]) => x === k)?.[1] ?? 0), fmt(d2.find(([x]) => x === k)?.[1] ?? 0)])));
    admin.close();
    await informers.shutdown();
  } catch (err) {
    process.stderr.write(`server log (tail):\n${server.stderr().split('\n').slice(-40).join('\n')}\n`);
    throw err;
  } finally {
    await sim?.stop();
    await scheduler?.stop();
    rest?.close();
    server.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
