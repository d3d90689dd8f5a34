// InterPodAffinity and PodTopologySpread against a real `kite server` with Node objects only:
// required anti-affinity by zone puts 3 replicas in 3 zones and leaves a 4th Pending with
// kube-scheduler's message; DoNotSchedule maxSkew 1 by zone balances pods across zones.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../src/client/rest/index.js';
import { startScheduler, type RunningScheduler } from '../src/scheduler/index.js';
import { silentLogger } from '../src/util/log.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';
const ZONE = 'topology.kubernetes.io/zone';

describe('scheduler affinity and spreading against a real kite server', () => {
  let server: KiteServer;
  let rest: RestClient;
  let sched: RunningScheduler;
  const dir = mkdtempSync(join(tmpdir(), 'kite-sched-aff-'));
  const nodes = () => rest.resource<Node>({ group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' });
  const pods = () => rest.resource<Pod>({ group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' }).namespace(NS);

  async function createNode(name: string, zone: string): Promise<void> {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, [ZONE]: zone } }, spec: {} });
    const capacity = { cpu: '8', memory: '16Gi', pods: '110' };
    await nodes().patch(name, 'merge', { status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }] } }, { subresource: 'status' });
  }

  function pod(name: string, labels: Record<string, string>, extra: Partial<Pod['spec']> = {}): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS, labels },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } }], ...extra },
    };
  }

  async function waitBound(name: string): Promise<string> {
    let node = '';
    await waitUntil(`pod ${name} bound`, async () => {
      node = (await pods().get(name)).spec?.nodeName ?? '';
      return node !== '';
    }, { timeoutMs: 15_000 });
    return node;
  }

  const zoneOf = (node: string) => node.replace(/-\d+$/, '');

  before(async () => {
    server = await startKiteServer(dir);
    rest = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 200, burst: 400 } });
    sched = await startScheduler({ client: rest, logger: silentLogger, leaderElection: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 } });
    await sched.started;
    // Three zones, two nodes each; node names carry their zone.
    for (const z of ['zone-a', 'zone-b', 'zone-c']) for (const i of [1, 2]) await createNode(`${z}-${i}`, z);
  });

  after(async () => {
    await sched?.stop();
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('required anti-affinity by zone: 3 replicas in 3 zones, the 4th Pending', async () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: ZONE }] } };
    const zones = new Set<string>();
    for (const i of [1, 2, 3]) {
      await pods().create(pod(`db-${i}`, { app: 'db' }, { affinity: anti }));
      zones.add(zoneOf(await waitBound(`db-${i}`)));
    }
    assert.deepEqual([...zones].sort(), ['zone-a', 'zone-b', 'zone-c']);
    await pods().create(pod('db-4', { app: 'db' }, { affinity: anti }));
    const want = "0/6 nodes are available: 6 node(s) didn't match pod anti-affinity rules. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod..";
    await waitUntil('PodScheduled=False on db-4', async () => {
      const c = (await pods().get('db-4')).status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.status === 'False' && c.reason === 'Unschedulable' && (c.message ?? '').startsWith(want);
    }, { timeoutMs: 15_000 });
    assert.equal((await pods().get('db-4')).spec?.nodeName, undefined);
  });

  it('topology spread DoNotSchedule maxSkew 1 balances pods across zones', async () => {
    const tsc = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    // Pin two pods to zone-a first (node affinity, no constraint), then spread 4 more.
    for (const i of [1, 2]) {
      await pods().create(pod(`pinned-${i}`, { app: 'web' }, { nodeSelector: { [ZONE]: 'zone-a' } }));
      await waitBound(`pinned-${i}`);
    }
    const counts: Record<string, number> = { 'zone-a': 2, 'zone-b': 0, 'zone-c': 0 };
    for (const i of [1, 2, 3, 4]) {
      await pods().create(pod(`web-${i}`, { app: 'web' }, { topologySpreadConstraints: tsc }));
      const z = zoneOf(await waitBound(`web-${i}`));
      counts[z]!++;
      const values = Object.values(counts);
      // Each placement keeps the skew at most 1 relative to the zones' minimum before the placement.
      assert.ok(Math.max(...values) - Math.min(...values) <= 2, JSON.stringify(counts));
    }
    // 6 pods over 3 zones, zone-a pre-loaded with 2: the constraint forces 2/2/2.
    assert.deepEqual(counts, { 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
  });
});
