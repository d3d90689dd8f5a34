// The Deployment controller against a real `kite server` (scheduler + controllers) with simulated
// nodes and the real kubectl: a RollingUpdate from v1 to v2 with maxSurge 1 / maxUnavailable 0
// never has fewer ready pods than desired (checked on every event of a pod watch); kubectl rollout
// status/history/undo/restart/pause/resume work; Recreate never runs old and new pods at once;
// scaling mid-rollout is proportional; a stuck rollout reports ProgressDeadlineExceeded;
// revisionHistoryLimit removes old ReplicaSets.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { controllerOf } from '../src/api/meta.js';
import { resources, type RestClient } from '../src/client/rest/index.js';
import type { KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import type { NodeSimulator } from './support/node-simulator.js';
import { startSimCluster, type SimCluster } from './support/sim-cluster.js';
import { isReady, PodWatch } from './support/pod-watch.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

function deployment(name: string, replicas: number, spec: Partial<NonNullable<Deployment['spec']>> = {}, image = 'busybox:v1'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, annotations: { 'kubernetes.io/change-cause': `create ${image}` } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

describe('deployment controller against a real kite server', () => {
  let server: KiteServer;
  let rest: RestClient;
  let sim: NodeSimulator;
  let cluster: SimCluster | undefined;
  const deps = () => rest.resource<Deployment>(resources.DEPLOYMENTS).namespace(NS);
  const rsOf = async (d: string) => {
    const uid = (await deps().get(d)).metadata?.uid;
    return (await rest.resource<ReplicaSet>(resources.REPLICASETS).namespace(NS).list()).items.filter((rs) => controllerOf(rs)?.uid === uid);
  };
  const cond = (d: Deployment, type: string): DeploymentCondition | undefined => d.status?.conditions?.find((c) => c.type === type);
  const k = (...args: string[]) => kubectlOk(server.kubeconfig, args);
  const rolloutStatus = (name: string) => k('rollout', 'status', `deployment/${name}`, '--timeout=60s');
  const imageOf = (rs: ReplicaSet) => rs.spec?.template?.spec?.containers[0]?.image;

  before(async () => {
    // Pods of image "stuck" run but never become ready.
    cluster = await startSimCluster('deploy', ['node-a', 'node-b', 'node-c'], { podOutcome: (p: Pod) => ({ phase: 'Running', ready: p.spec?.containers[0]?.image !== 'stuck' }) });
    ({ server, rest, sim } = cluster);
  });
  after(() => cluster?.stop());

  it('rolls out v1 then v2 (maxSurge 1, maxUnavailable 0) never below the desired ready count; rollout status, history, undo, restart', async () => {
    await deps().create(deployment('web', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    const out = await rolloutStatus('web');
    assert.match(out, /successfully rolled out/);
    let d = await deps().get('web');
    assert.deepEqual(
      { r: d.status?.replicas, u: d.status?.updatedReplicas, ready: d.status?.readyReplicas, a: d.status?.availableReplicas, un: d.status?.unavailableReplicas ?? 0 },
      { r: 3, u: 3, ready: 3, a: 3, un: 0 },
    );
    assert.equal(d.status?.observedGeneration, d.metadata?.generation);
    assert.equal(cond(d, 'Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(cond(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const [rs1] = await rsOf('web');
    const hash = rs1?.metadata?.labels?.['pod-template-hash'];
    assert.ok(hash && rs1?.metadata?.name === `web-${hash}`, 'the ReplicaSet is named <deployment>-<pod-template-hash>');
    assert.equal(rs1?.spec?.selector.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs1?.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(
      Object.fromEntries(Object.entries(rs1?.metadata?.annotations ?? {}).filter(([key]) => key.startsWith('deployment.kubernetes.io/'))),
      { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
    );
    assert.equal(rs1?.metadata?.annotations?.['kubernetes.io/change-cause'], 'create busybox:v1', 'the Deployment annotations are copied');

    const watch = await PodWatch.start(rest, NS, 'app=web', (pods) => {
      const ready = [...pods.values()].filter(isReady).length;
      return ready < 3 ? `${ready} ready pods` : undefined;
    });
    await k('set', 'image', 'deployment/web', 'c=busybox:v2');
    await k('annotate', 'deployment/web', 'kubernetes.io/change-cause=image v2', '--overwrite');
    await rolloutStatus('web');
    await waitUntil('old pods gone', async () => (await rest.resource<Pod>(resources.PODS).namespace(NS).list({ labelSelector: 'app=web' })).items.length === 3, { timeoutMs: 20_000 });
    assert.deepEqual(await watch.stop(), [], 'never fewer than 3 ready pods during the rollout');

    const rss = await rsOf('web');
    assert.equal(rss.length, 2);
    const v2 = rss.find((rs) => imageOf(rs) === 'busybox:v2');
    assert.equal(v2?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(rss.find((rs) => imageOf(rs) === 'busybox:v1')?.spec?.replicas, 0);
    let events: Event[] = [];
    await waitUntil(
      'the ScalingReplicaSet events',
      async () => {
        events = (await rest.resource<Event>(resources.EVENTS).namespace(NS).list()).items.filter((e) => e.involvedObject.name === 'web' && e.reason === 'ScalingReplicaSet');
        return (
          events.some((e) => e.message === `Scaled up replica set ${v2?.metadata?.name} from 0 to 1`) &&
          events.some((e) => e.message === `Scaled down replica set ${rs1?.metadata?.name} from 3 to 2` && e.source?.component === 'deployment-controller')
        );
      },
      { timeoutMs: 10_000, describe: () => JSON.stringify(events.map((e) => e.message)) },
    );

    const history = await k('rollout', 'history', 'deployment/web');
    assert.match(history, /^1\s+create busybox:v1$/m);
    assert.match(history, /^2\s+image v2$/m);
    const rev2 = await k('rollout', 'history', 'deployment/web', '--revision=2');
    assert.match(rev2, /Image:\s+busybox:v2/);

    await k('rollout', 'undo', 'deployment/web');
    await rolloutStatus('web');
    d = await deps().get('web');
    assert.equal(d.spec?.template?.spec?.containers[0]?.image, 'busybox:v1');
    const back = (await rsOf('web')).find((rs) => imageOf(rs) === 'busybox:v1');
    assert.equal(back?.metadata?.uid, rs1?.metadata?.uid, 'undo brings back the old ReplicaSet');
    assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(back?.spec?.replicas, 3);
    const history2 = await k('rollout', 'history', 'deployment/web');
    assert.match(history2, /^2\s+/m);
    assert.match(history2, /^3\s+/m);
    assert.doesNotMatch(history2, /^1\s+/m);

    await k('rollout', 'restart', 'deployment/web');
    await rolloutStatus('web');
    const restarted = (await rsOf('web')).find((rs) => rs.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    assert.equal(restarted?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '4');
    assert.equal(restarted?.status?.readyReplicas, 3);
  });

  it('pause stops rollout progress but keeps status; resume continues; scaling works while paused', async () => {
    await deps().create(deployment('paused', 2));
    await rolloutStatus('paused');
    await k('rollout', 'pause', 'deployment/paused');
    await k('set', 'image', 'deployment/paused', 'c=busybox:v2');
    await waitUntil(
      'the pause observed',
      async () => {
        const d = await deps().get('paused');
        return d.status?.observedGeneration === d.metadata?.generation && cond(d, 'Progressing')?.reason === 'DeploymentPaused';
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(cond(await deps().get('paused'), 'Progressing')?.status, 'Unknown');
    await k('scale', 'deployment/paused', '--replicas=3');
    await waitUntil('scaled while paused', async () => (await deps().get('paused')).status?.readyReplicas === 3, { timeoutMs: 20_000 });
    assert.ok((await rsOf('paused')).every((rs) => imageOf(rs) === 'busybox:v1'), 'no rollout while paused');
    await k('rollout', 'resume', 'deployment/paused');
    await rolloutStatus('paused');
    const rss = await rsOf('paused');
    assert.equal(rss.find((rs) => imageOf(rs) === 'busybox:v2')?.status?.readyReplicas, 3);
  });

  it('Recreate: old pods are all gone before any new pod exists', async () => {
    await deps().create(deployment('rec', 3, { strategy: { type: 'Recreate' } }));
    await rolloutStatus('rec');
    const watch = await PodWatch.start(rest, NS, 'app=rec', (pods) => {
      const images = new Set([...pods.values()].map((p) => p.spec?.containers[0]?.image));
      return images.size > 1 ? `old and new pods at once: ${[...pods.keys()].join(', ')}` : undefined;
    });
    await k('set', 'image', 'deployment/rec', 'c=busybox:v2');
    await rolloutStatus('rec');
    assert.deepEqual(await watch.stop(), []);
    const d = await deps().get('rec');
    assert.equal(d.status?.updatedReplicas, 3);
  });

  it('scaling mid-rollout scales the ReplicaSets proportionally', async () => {
    await deps().create(deployment('prop', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await rolloutStatus('prop');
    await k('set', 'image', 'deployment/prop', 'c=stuck');
    // New pods never become ready: the rollout stalls with old 8 + new 5 = 13 (10 + maxSurge 3).
    const sizes = async () => {
      const rss = await rsOf('prop');
      return { old: rss.find((rs) => imageOf(rs) === 'busybox:v1')?.spec?.replicas, new: rss.find((rs) => imageOf(rs) === 'stuck')?.spec?.replicas };
    };
    await waitUntil('the rollout stalls at 8 + 5', async () => JSON.stringify(await sizes()) === JSON.stringify({ old: 8, new: 5 }), { timeoutMs: 20_000 });
    await k('scale', 'deployment/prop', '--replicas=20');
    // 20 + maxSurge 3 = 23 allowed, 10 to add: old round(8*23/13)-8 = 6, new round(5*23/13)-5 = 4.
    let last = '';
    await waitUntil('proportional sizes 14 + 9', async () => (last = JSON.stringify(await sizes())) === JSON.stringify({ old: 14, new: 9 }), { timeoutMs: 20_000, describe: () => last });
    // Events are written asynchronously by the recorder.
    let messages: string[] = [];
    await waitUntil(
      'the ScalingReplicaSet events',
      async () => {
        messages = (await rest.resource<Event>(resources.EVENTS).namespace(NS).list()).items.filter((e) => e.involvedObject.name === 'prop').map((e) => e.message ?? '');
        return messages.some((m) => /^Scaled up replica set prop-\w+ from 8 to 14$/.test(m)) && messages.some((m) => /^Scaled up replica set prop-\w+ from 5 to 9$/.test(m));
      },
      { timeoutMs: 10_000, describe: () => JSON.stringify(messages) },
    );
  });

  it('a rollout that makes no progress reports ProgressDeadlineExceeded; rollout status fails', async () => {
    await deps().create(deployment('stuck', 2, { progressDeadlineSeconds: 2 }, 'stuck'));
    await waitUntil(
      'Progressing=False ProgressDeadlineExceeded',
      async () => {
        const c = cond(await deps().get('stuck'), 'Progressing');
        return c?.status === 'False' && c.reason === 'ProgressDeadlineExceeded';
      },
      { timeoutMs: 20_000 },
    );
    const d = await deps().get('stuck');
    assert.equal(cond(d, 'Available')?.reason, 'MinimumReplicasUnavailable');
    assert.match(cond(d, 'Progressing')?.message ?? '', /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
    const r = await kubectl(server.kubeconfig, ['rollout', 'status', 'deployment/stuck', '--timeout=20s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exceeded its progress deadline/);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    await deps().create(deployment('hist', 1, { revisionHistoryLimit: 1 }));
    await rolloutStatus('hist');
    for (const v of ['v2', 'v3', 'v4']) {
      await k('set', 'image', 'deployment/hist', `c=busybox:${v}`);
      await rolloutStatus('hist');
    }
    await waitUntil('two ReplicaSets left', async () => (await rsOf('hist')).length === 2, { timeoutMs: 20_000 });
    const images = (await rsOf('hist')).map(imageOf).sort();
    assert.deepEqual(images, ['busybox:v3', 'busybox:v4']);
    assert.deepEqual(sim.problems(), []);
  });
});
