// A node dies, against a real `kite server` with the scheduler, the controllers (short timings by
// flags) and simulated nodes: its Lease stops, the node lifecycle controller marks it Unknown and
// taints it unreachable (NoExecute and NoSchedule), the taint manager evicts its pods at once or
// after their tolerationSeconds, the ReplicaSet replaces them on the other node; once the node is
// deleted, pod GC removes the pods still bound to it. DefaultTolerationSeconds gives plain pods
// 300 s tolerations. A namespace with a running pod is deleted once the pod has terminated.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Namespace, Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { resources, RestClient } from '../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectlOk } from './support/kubectl.js';
import { NodeSimulator } from './support/node-simulator.js';
import { waitUntil } from './support/wait-until.js';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const tolerate = (seconds?: number): Toleration[] => [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) }];

describe('node lifecycle, taint eviction and pod GC', () => {
  let server: KiteServer;
  let rest: RestClient;
  let sim: NodeSimulator;
  const dir = mkdtempSync(join(tmpdir(), 'kite-nlc-'));
  const pods = () => rest.resource<Pod>(resources.PODS).namespace('default');
  const nodes = () => rest.resource<Node>(resources.NODES);
  const podsOn = async (node: string) => (await pods().list()).items.filter((p) => p.spec?.nodeName === node);

  before(async () => {
    server = await startKiteServer(dir, {
      scheduler: true,
      controllers: true,
      extraArgs: ['--node-monitor-grace-period', '3s', '--node-monitor-period', '500ms', '--pod-gc-period', '500ms', '--pod-gc-quarantine', '1s'],
    });
    rest = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 100, burst: 200 } });
    sim = new NodeSimulator(rest, { leaseRenewMs: 500 });
  });
  after(async () => {
    await sim?.stop();
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('evicts the pods of a node whose heartbeats stop, honouring tolerationSeconds; the ReplicaSet replaces them; pod GC clears the rest once the node is deleted', async () => {
    await sim.addNode('n1');
    const container = [{ name: 'c', image: 'busybox' }];
    const plain = await pods().create({ metadata: { name: 'plain' }, spec: { nodeName: 'n1', containers: container } });
    assert.deepEqual(
      plain.spec?.tolerations?.map((t) => [t.key, t.effect, t.tolerationSeconds]),
      [['node.kubernetes.io/not-ready', 'NoExecute', 300], [UNREACHABLE, 'NoExecute', 300]],
      'DefaultTolerationSeconds',
    );
    await pods().create({ metadata: { name: 'now' }, spec: { nodeName: 'n1', containers: container, tolerations: tolerate(0) } });
    await pods().create({ metadata: { name: 'forever' }, spec: { nodeName: 'n1', containers: container, tolerations: tolerate() } });
    await rest.resource<ReplicaSet>(resources.REPLICASETS).namespace('default').create({
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: container, tolerations: tolerate(2) } },
      },
    });
    const webPods = async () => (await pods().list({ labelSelector: 'app=web' })).items;
    await waitUntil('web pods running on n1', async () => (await webPods()).filter((p) => p.spec?.nodeName === 'n1' && p.status?.phase === 'Running').length === 2, { timeoutMs: 30_000 });
    await sim.addNode('n2');

    sim.killNode('n1');
    let node: Node | undefined;
    await waitUntil(
      'n1 Ready=Unknown with the unreachable taints',
      async () => {
        node = await nodes().get('n1');
        const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
        return taints.includes(`${UNREACHABLE}:NoExecute`) && taints.includes(`${UNREACHABLE}:NoSchedule`);
      },
      { timeoutMs: 20_000, describe: () => JSON.stringify({ taints: node?.spec?.taints, conditions: node?.status?.conditions }) },
    );
    const tainted = Date.now();
    const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.equal(node?.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status, 'Unknown');

    const marked = async (name: string) => Boolean((await pods().get(name)).metadata?.deletionTimestamp);
    await waitUntil('pod "now" evicted at once', () => marked('now'), { timeoutMs: 5_000 });
    assert.ok((await webPods()).every((p) => !p.metadata?.deletionTimestamp), 'the web pods tolerate the taint for 2 s');
    await waitUntil('web pods on n1 evicted', async () => (await webPods()).filter((p) => p.spec?.nodeName === 'n1').every((p) => p.metadata?.deletionTimestamp), { timeoutMs: 10_000 });
    assert.ok(Date.now() - tainted >= 1_500, `tolerationSeconds honoured (${Date.now() - tainted} ms after the taint)`);
    assert.equal(await marked('forever'), false, 'a toleration without tolerationSeconds keeps the pod');
    assert.equal(await marked('plain'), false, 'the default 300 s toleration keeps the pod for now');
    const evicted = (await pods().get('now')).status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(evicted?.reason, 'DeletionByTaintManager');
    await waitUntil(
      'TaintManagerEviction event',
      async () => (await rest.resource<Event>(resources.EVENTS).namespace('default').list()).items.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/now'),
      { timeoutMs: 10_000 },
    );
    await waitUntil('two web replacements running on n2', async () => (await webPods()).filter((p) => p.spec?.nodeName === 'n2' && p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).length === 2, {
      timeoutMs: 30_000,
    });

    // The dead node's pods stay (Terminating or not) until the node object goes; then pod GC removes them.
    assert.equal((await podsOn('n1')).length, 5);
    await kubectlOk(server.kubeconfig, ['delete', 'node', 'n1']);
    await waitUntil('pods of the deleted node gone', async () => (await podsOn('n1')).length === 0, { timeoutMs: 20_000 });
    assert.equal((await webPods()).filter((p) => p.spec?.nodeName === 'n2').length, 2);
    const events = (await rest.resource<Event>(resources.EVENTS).namespace('default').list()).items;
    for (const [reason, message] of [['RegisteredNode', 'Registered Node n1 in Controller'], ['NodeNotReady', 'Node n1 status is now: NodeNotReady']]) {
      assert.ok(events.some((e) => e.reason === reason && e.message === message), `${reason} event`);
    }
  });

  it('kubectl delete namespace waits for its running pods to terminate on their node, then the namespace goes', async () => {
    await rest.resource<Namespace>(resources.NAMESPACES).create({ metadata: { name: 'shop' } });
    const shop = rest.resource<Pod>(resources.PODS).namespace('shop');
    await shop.create({ metadata: { name: 'cart' }, spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'busybox' }] } });
    await waitUntil('cart running', async () => (await shop.get('cart')).status?.phase === 'Running', { timeoutMs: 10_000 });
    await kubectlOk(server.kubeconfig, ['delete', 'namespace', 'shop', '--timeout=60s']);
    assert.doesNotMatch(await kubectlOk(server.kubeconfig, ['get', 'ns', '-o', 'name']), /namespace\/shop\b/);
  });

  it('force-deletes terminating pods on a not-ready node marked out of service', async () => {
    await sim.addNode('n3');
    await pods().create({ metadata: { name: 'stuck' }, spec: { nodeName: 'n3', containers: [{ name: 'c', image: 'busybox' }], tolerations: tolerate() } });
    await waitUntil('stuck running', async () => (await pods().get('stuck')).status?.phase === 'Running', { timeoutMs: 10_000 });
    sim.killNode('n3');
    await waitUntil('n3 not ready', async () => (await nodes().get('n3')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown', { timeoutMs: 20_000 });
    await pods().delete('stuck');
    assert.ok((await pods().get('stuck')).metadata?.deletionTimestamp, 'terminating, with nobody to finish it');
    await kubectlOk(server.kubeconfig, ['taint', 'node', 'n3', 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute']);
    await waitUntil('stuck force-deleted', async () => !(await pods().list()).items.some((p) => p.metadata?.name === 'stuck'), { timeoutMs: 10_000 });
  });
});
