// `npm run bench -- scheduler-cycle [WORKLOAD] [--pods N]`: the scheduler alone, in this process,
// without an API server: the in-tree plugins over 5,000 nodes (cpu 4, memory 32Gi, pods 110, three
// zones) with a binder that records bindings (testing/harness.ts), the init pods of the workload
// added as bound, then N pending pods (300 by default) scheduled one cycle after another. Measures
// the scheduling cycle itself (snapshot, PreFilter … Score, assume, bind call) — what
// bench/scheduler.ts measures under the API server's load. WORKLOAD: SchedulingBasic (default),
// TopologySpreading, SchedulingPodAntiAffinity.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { schedulerHarness } from '../src/scheduler/testing/harness.js';
import { makeNode, makePod } from '../src/scheduler/testing/wrappers.js';
import { fmt, machine, nowMs } from './support/stats.js';

const argv = process.argv.slice(2);
const workload = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'SchedulingBasic';
const podsAt = argv.indexOf('--pods');
const M = podsAt >= 0 ? Number(argv[podsAt + 1]) : 300;
const NODES = 5000;
const INIT = workload === 'TopologySpreading' ? 5000 : 1000;
if (!['SchedulingBasic', 'TopologySpreading', 'SchedulingPodAntiAffinity'].includes(workload)) {
  process.stderr.write(`unknown workload ${workload}\n`);
  process.exit(2);
}

function pod(name: string, nodeName?: string): Pod {
  const p = makePod({ name, requests: { cpu: '100m', memory: '500Mi' }, ...(nodeName ? { nodeName } : {}) });
  const spec: NonNullable<Pod['spec']> = { ...p.spec! };
  let labels: Record<string, string> = { app: 'bench' };
  if (workload === 'TopologySpreading') {
    labels = nodeName ? {} : { color: 'blue' };
    if (!nodeName) spec.topologySpreadConstraints = [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }];
  }
  if (workload === 'SchedulingPodAntiAffinity') {
    labels = { color: 'green' };
    spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['default'] }] } };
  }
  return { ...p, metadata: { ...p.metadata, uid: name, labels }, spec };
}

const t = schedulerHarness();
for (let i = 0; i < NODES; i++) t.s.onNodeAdd(makeNode({ name: `node-${i}`, cpu: '4', memory: '32Gi', pods: '110', labels: { 'topology.kubernetes.io/zone': `moon-${i % 3}` } }));
for (let i = 0; i < INIT; i++) t.s.onPodAdd(pod(`init-${i}`, `node-${(i * 7) % NODES}`));
for (let i = 0; i < M; i++) t.addPod(pod(`p-${i}`));
const start = nowMs();
for (let i = 0; i < M; i++) await t.s.scheduleOne();
await t.s.idle();
const ms = nowMs() - start;
process.stdout.write(`${workload}: ${fmt(NODES)} nodes, ${fmt(INIT)} bound pods, ${fmt(M)} pods scheduled (${fmt(t.bindings.length)} bound) in ${fmt(ms)} ms: ${fmt(ms / M, 2)} ms per cycle, ${fmt((M / ms) * 1000)} pods/s — ${machine()}\n`);
