// The ReplicaSet and ReplicationController controllers against a real `kite server` (scheduler +
// controllers) with simulated nodes: a ReplicaSet scales up and down (kubectl scale) and replaces a
// deleted pod; it adopts a matching orphan and releases a pod relabeled out of its selector; its
// status counts ready pods; events use Kubernetes' words; a ReplicationController does the same.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import { resources, type RestClient } from '../src/client/rest/index.js';
import { controllerOf } from '../src/api/meta.js';
import type { KubeObject } from '../src/api/object.js';
import type { KiteServer } from './support/kite-server.js';
import { kubectlOk } from './support/kubectl.js';
import type { NodeSimulator } from './support/node-simulator.js';
import { startSimCluster, type SimCluster } from './support/sim-cluster.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

function replicaSet(name: string, replicas: number, app = name): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  };
}

describe('replicaset controller against a real kite server', () => {
  let server: KiteServer;
  let rest: RestClient;
  let sim: NodeSimulator;
  let cluster: SimCluster | undefined;
  const pods = () => rest.resource<Pod>(resources.PODS).namespace(NS);
  const rsClient = () => rest.resource<ReplicaSet>(resources.REPLICASETS).namespace(NS);
  const eventsOf = async (name: string) => (await rest.resource<Event>(resources.EVENTS).namespace(NS).list()).items.filter((e) => e.involvedObject.name === name);
  const ownedPods = async (uid: string) => (await pods().list()).items.filter((p) => controllerOf(p)?.uid === uid && !p.metadata?.deletionTimestamp);

  before(async () => {
    cluster = await startSimCluster('rs', ['node-a', 'node-b']);
    ({ server, rest, sim } = cluster);
  });
  after(() => cluster?.stop());

  it('creates pods to match replicas, scales up and down, replaces a deleted pod', async () => {
    const rs = await rsClient().create(replicaSet('web', 3));
    const uid = rs.metadata?.uid ?? '';
    const readyIs = (n: number) => async () => {
      const cur = await rsClient().get('web');
      return cur.status?.readyReplicas === n && cur.status?.replicas === n && (await ownedPods(uid)).length === n;
    };
    await waitUntil('3 ready replicas', readyIs(3), { timeoutMs: 20_000 });
    const [first] = await ownedPods(uid);
    assert.ok(first?.metadata?.name?.startsWith('web-'), 'pods are named <rs>-<suffix>');
    assert.deepEqual(
      { ...controllerOf(first!) },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true },
    );
    const cur = await rsClient().get('web');
    assert.equal(cur.status?.fullyLabeledReplicas, 3);
    assert.equal(cur.status?.availableReplicas, 3);
    assert.equal(cur.status?.observedGeneration, cur.metadata?.generation);

    await kubectlOk(server.kubeconfig, ['scale', 'rs/web', '--replicas=5']);
    await waitUntil('5 ready replicas', readyIs(5), { timeoutMs: 20_000 });
    await kubectlOk(server.kubeconfig, ['scale', 'rs/web', '--replicas=2']);
    await waitUntil('2 ready replicas', readyIs(2), { timeoutMs: 20_000 });

    const victim = (await ownedPods(uid))[0]!;
    await pods().delete(victim.metadata?.name ?? '');
    await waitUntil(
      'a replacement pod',
      async () => {
        const names = (await ownedPods(uid)).map((p) => p.metadata?.name);
        return names.length === 2 && !names.includes(victim.metadata?.name) && (await readyIs(2)());
      },
      { timeoutMs: 20_000 },
    );

    // Events are written asynchronously by the recorder.
    await waitUntil('SuccessfulCreate and SuccessfulDelete events', async () => {
      const events = await eventsOf('web');
      return (
        events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: web-/.test(e.message ?? '') && e.source?.component === 'replicaset-controller') &&
        events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: web-/.test(e.message ?? ''))
      );
    });
    // kubectl sees the ReplicaSet as kube-controller-manager would leave it.
    const table = await kubectlOk(server.kubeconfig, ['get', 'rs', 'web', '--no-headers']);
    assert.match(table, /^web\s+2\s+2\s+2\s+/);
  });

  it('adopts a matching orphan instead of creating a pod, and releases a pod relabeled out of its selector', async () => {
    await pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', namespace: NS, labels: { app: 'adopt', tier: 'web' } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const rs = await rsClient().create(replicaSet('adopt', 1));
    const uid = rs.metadata?.uid ?? '';
    await waitUntil('the orphan adopted', async () => controllerOf(await pods().get('orphan'))?.uid === uid, { timeoutMs: 20_000 });
    await waitUntil('status: 1 ready replica', async () => (await rsClient().get('adopt')).status?.readyReplicas === 1, { timeoutMs: 20_000 });
    assert.deepEqual((await ownedPods(uid)).map((p) => p.metadata?.name), ['orphan'], 'no pod was created beside the adopted one');

    await pods().patch('orphan', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    await waitUntil('the relabeled pod released', async () => controllerOf(await pods().get('orphan')) === undefined, { timeoutMs: 20_000 });
    await waitUntil('a replacement created', async () => (await ownedPods(uid)).length === 1 && (await ownedPods(uid))[0]?.metadata?.name !== 'orphan', { timeoutMs: 20_000 });
    assert.equal((await pods().get('orphan')).metadata?.deletionTimestamp, undefined, 'the released pod is left running');
  });

  it('a failing create sets ReplicaFailure and a FailedCreate event; the condition goes once creates work', async () => {
    const rs = replicaSet('bad', 2);
    rs.spec!.template!.spec!.priorityClassName = 'later';
    await rsClient().create(rs);
    await waitUntil(
      'ReplicaFailure=True FailedCreate',
      async () => {
        const c = (await rsClient().get('bad')).status?.conditions?.find((x) => x.type === 'ReplicaFailure');
        return c?.status === 'True' && c.reason === 'FailedCreate' && /no PriorityClass with name later was found/.test(c.message ?? '');
      },
      { timeoutMs: 20_000 },
    );
    await waitUntil('a FailedCreate event', async () =>
      (await eventsOf('bad')).some((e) => e.type === 'Warning' && e.reason === 'FailedCreate' && /^Error creating: .*no PriorityClass with name later was found/.test(e.message ?? '')),
    );
    await rest.resource(resources.PRIORITYCLASSES).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'later' }, value: 1000 } as KubeObject);
    await waitUntil(
      'pods created and the condition removed',
      async () => {
        const cur = await rsClient().get('bad');
        return cur.status?.readyReplicas === 2 && !cur.status?.conditions?.some((x) => x.type === 'ReplicaFailure');
      },
      { timeoutMs: 30_000 },
    );
  });

  it('minReadySeconds: pods count as available only once ready that long', async () => {
    const rs = replicaSet('slow', 2);
    rs.spec!.minReadySeconds = 2;
    await rsClient().create(rs);
    let readyAt = 0;
    let availableAtReady = -1;
    await waitUntil(
      '2 ready replicas',
      async () => {
        const st = (await rsClient().get('slow')).status;
        if (st?.readyReplicas !== 2) return false;
        readyAt = Date.now();
        availableAtReady = st.availableReplicas ?? 0;
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 5 },
    );
    assert.equal(availableAtReady, 0, 'just-ready pods are not yet available');
    await waitUntil('2 available replicas', async () => (await rsClient().get('slow')).status?.availableReplicas === 2, { timeoutMs: 20_000 });
    assert.ok(Date.now() - readyAt >= 1000, 'available after minReadySeconds, not at once');
  });

  it('a ReplicationController keeps its pods the same way', async () => {
    const rc = await rest.resource<ReplicationController>(resources.REPLICATIONCONTROLLERS).namespace(NS).create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: NS },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const uid = rc.metadata?.uid ?? '';
    await waitUntil(
      'two ready RC pods',
      async () => (await rest.resource<ReplicationController>(resources.REPLICATIONCONTROLLERS).namespace(NS).get('legacy')).status?.readyReplicas === 2,
      { timeoutMs: 20_000 },
    );
    const owned = await ownedPods(uid);
    assert.equal(owned.length, 2);
    assert.equal(controllerOf(owned[0]!)?.kind, 'ReplicationController');
    await waitUntil('a SuccessfulCreate event', async () => (await eventsOf('legacy')).some((e) => e.reason === 'SuccessfulCreate' && e.source?.component === 'replication-controller'));
    assert.deepEqual(sim.problems(), []);
  });
});
