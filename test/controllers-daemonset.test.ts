// The DaemonSet controller against a real `kite server` (scheduler, controllers) with simulated
// nodes and the real kubectl: one pod per node, pinned by node affinity and placed by the
// scheduler; a node added later gets its pod, a node tainted without a toleration gets none, a
// node that stops matching the nodeSelector or is deleted loses its pod; a RollingUpdate never has
// more than maxUnavailable pods unavailable (checked on every event of a pod watch), with
// `kubectl rollout status`, history and undo over the ControllerRevisions; maxSurge runs the new pod
// beside the old one; a failed pod is replaced.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectlOk } from './support/kubectl.js';
import { isReady, PodWatch } from './support/pod-watch.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

function daemonSet(name: string, spec: Partial<NonNullable<DaemonSet['spec']>> = {}, podSpec: Partial<NonNullable<NonNullable<DaemonSet['spec']>['template']['spec']>> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:v1' }], ...podSpec } },
      ...spec,
    },
  };
}

describe('DaemonSet controller against a real kite server', () => {
  const cluster = useCluster({ name: 'ds', scheduler: true, controllers: true, extraArgs: ['--controllers', 'daemonset'], nodes: { n1: {}, n2: {} } });
  const sets = () => cluster.rest.resource<DaemonSet>(resources.DAEMONSETS).namespace(NS);
  const podsOf = async (app: string) => (await cluster.rest.resource<Pod>(resources.PODS).namespace(NS).list({ labelSelector: `app=${app}` })).items;
  const placement = async (app: string) =>
    (await podsOf(app))
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.spec?.nodeName ?? '<unscheduled>')
      .sort()
      .join(',');
  const k = (...args: string[]) => kubectlOk(cluster.server.kubeconfig, args);
  const rolloutStatus = (name: string) => k('rollout', 'status', `daemonset/${name}`, '--timeout=60s');

  it('runs one pod per eligible node, follows nodes added, tainted, relabelled and deleted', async () => {
    await sets().create(daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }, { nodeSelector: { role: 'worker' } }));
    for (const n of ['n1', 'n2']) await k('label', 'node', n, 'role=worker');
    assert.match(await rolloutStatus('agent'), /daemon set "agent" successfully rolled out/);
    assert.equal(await placement('agent'), 'n1,n2');
    const [pod] = await podsOf('agent');
    assert.deepEqual(pod?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod?.spec?.nodeName] }] },
    ]);
    assert.ok(pod?.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute' && t.tolerationSeconds === undefined));
    assert.ok(pod?.metadata?.labels?.['controller-revision-hash']);

    await cluster.nodes.addNode('n3', { labels: { role: 'worker' } });
    await waitUntil('a pod on the new node n3', async () => (await placement('agent')) === 'n1,n2,n3', { timeoutMs: 20_000 });
    await cluster.nodes.addNode('n4', { labels: { role: 'worker' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    await cluster.nodes.addNode('n5', {});
    await rolloutStatus('agent');
    let ds = await sets().get('agent');
    assert.deepEqual(
      { desired: ds.status?.desiredNumberScheduled, current: ds.status?.currentNumberScheduled, ready: ds.status?.numberReady, available: ds.status?.numberAvailable, updated: ds.status?.updatedNumberScheduled, mis: ds.status?.numberMisscheduled },
      { desired: 3, current: 3, ready: 3, available: 3, updated: 3, mis: 0 },
    );
    assert.equal(ds.status?.observedGeneration, ds.metadata?.generation);
    assert.equal(await placement('agent'), 'n1,n2,n3', 'no pod on the tainted n4 nor on the unlabelled n5');

    await k('label', 'node', 'n2', 'role-');
    await cluster.rest.resource<Node>(resources.NODES).delete('n3');
    await waitUntil('pods gone from the relabelled and the deleted node', async () => (await placement('agent')) === 'n1', { timeoutMs: 20_000 });
    await waitUntil('status follows', async () => (ds = await sets().get('agent')).status?.desiredNumberScheduled === 1 && ds.status?.numberReady === 1, { timeoutMs: 10_000 });
    await k('label', 'node', 'n2', 'role=worker');
    await rolloutStatus('agent');
    assert.equal(await placement('agent'), 'n1,n2');
  });

  it('RollingUpdate keeps at most maxUnavailable pods unavailable; rollout status and history work', async () => {
    await sets().create(daemonSet('roll'));
    await rolloutStatus('roll');
    const nodeCount = (await placement('roll')).split(',').length;
    assert.ok(nodeCount >= 3, `a pod on every schedulable node (${nodeCount})`);
    const watch = await PodWatch.start(cluster.rest, NS, 'app=roll', (pods) => {
      const ready = [...pods.values()].filter(isReady).length;
      return ready < nodeCount - 1 ? `${ready} ready pods of ${nodeCount}` : undefined;
    });
    await k('set', 'image', 'daemonset/roll', 'c=busybox:v2');
    assert.match(await rolloutStatus('roll'), /successfully rolled out/);
    await waitUntil('old pods gone', async () => (await podsOf('roll')).length === nodeCount, { timeoutMs: 20_000 });
    assert.deepEqual(await watch.stop(), []);
    assert.ok((await podsOf('roll')).every((p) => p.spec?.containers[0]?.image === 'busybox:v2'));
    const history = await k('rollout', 'history', 'daemonset/roll');
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    await k('rollout', 'undo', 'daemonset/roll');
    await rolloutStatus('roll');
    await waitUntil('back at v1 on every node', async () => {
      const pods = await podsOf('roll');
      return pods.length === nodeCount && pods.every((p) => p.spec?.containers[0]?.image === 'busybox:v1');
    }, { timeoutMs: 20_000 });
  });

  it('replaces a failed daemon pod on its node', async () => {
    await sets().create(daemonSet('crash'));
    await rolloutStatus('crash');
    const [victim] = await podsOf('crash');
    const node = victim?.spec?.nodeName;
    await cluster.rest.resource<Pod>(resources.PODS).namespace(NS).patch(victim?.metadata?.name ?? '', 'merge', { status: { phase: 'Failed' } }, { subresource: 'status' });
    await waitUntil(
      'a new Ready pod on the failed pod\'s node',
      async () => (await podsOf('crash')).some((p) => p.spec?.nodeName === node && p.metadata?.uid !== victim?.metadata?.uid && isReady(p)) && !(await podsOf('crash')).some((p) => p.metadata?.uid === victim?.metadata?.uid),
      { timeoutMs: 20_000 },
    );
    await rolloutStatus('crash');
  });

  it('RollingUpdate with maxSurge starts the new pod beside the old one before removing it', async () => {
    await sets().create(daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await rolloutStatus('surge');
    const nodeCount = (await placement('surge')).split(',').length;
    const watch = await PodWatch.start(cluster.rest, NS, 'app=surge', (pods) => {
      const ready = [...pods.values()].filter(isReady).length;
      return ready < nodeCount ? `${ready} ready pods of ${nodeCount}` : undefined;
    });
    await k('set', 'image', 'daemonset/surge', 'c=busybox:v2');
    await rolloutStatus('surge');
    await waitUntil('old pods gone', async () => (await podsOf('surge')).length === nodeCount, { timeoutMs: 20_000 });
    assert.deepEqual(await watch.stop(), [], 'never fewer ready pods than nodes');
  });
});
