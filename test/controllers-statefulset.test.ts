// The StatefulSet controller against a real `kite server` (scheduler, controllers) with simulated
// nodes and the real kubectl: OrderedReady creates web-N+1 only once web-N is Ready and scales
// down from the highest ordinal (both read from a pod watch), claims come from the templates and
// outlive scale-down; a RollingUpdate with a partition updates only the ordinals at or above it;
// kubectl rollout status/history/undo work through the ControllerRevisions; Parallel creates all
// pods at once, a failed pod is recreated, and whenScaled: Delete removes the claims of removed pods.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { controllerOf } from '../src/api/meta.js';
import { resources } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { kubectlOk } from './support/kubectl.js';
import { isReady, PodWatch } from './support/pod-watch.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

function statefulSet(name: string, spec: Partial<NonNullable<StatefulSet['spec']>> = {}, image = 'busybox:v1'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

// storageClassName "" (no class, so no dynamic provisioning): the claims bind to the class-less
// volumes the test creates up front, as a cluster without a provisioner on its nodes would need.
const claimTemplate = { metadata: { name: 'data' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

describe('StatefulSet controller against a real kite server', () => {
  const cluster = useCluster({
    name: 'sts',
    scheduler: true,
    controllers: true,
    extraArgs: ['--controllers', 'statefulset,garbagecollector,persistentvolume-binder'],
    nodes: { n1: {}, n2: {} },
  });
  const sets = () => cluster.rest.resource<StatefulSet>(resources.STATEFULSETS).namespace(NS);
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace(NS);
  const claims = () => cluster.rest.resource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS).namespace(NS);
  const podsOf = async (app: string) => (await pods().list({ labelSelector: `app=${app}` })).items;
  const k = (...args: string[]) => kubectlOk(cluster.server.kubeconfig, args);
  const rolloutStatus = (name: string) => k('rollout', 'status', `statefulset/${name}`, '--timeout=60s');
  const names = (list: { metadata?: { name?: string } }[]) => list.map((o) => o.metadata?.name ?? '').sort();

  before(async () => {
    for (let i = 0; i < 12; i++) {
      await cluster.rest.resource<PersistentVolume>(resources.PERSISTENTVOLUMES).create({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: `pv-${i}` },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/kite-sts-pv-${i}` } },
      });
    }
  });

  it('OrderedReady: creates in order, each after the previous is Ready; claims from templates; scales down in reverse keeping claims', async () => {
    const removed: string[] = [];
    const seen = new Set<string>();
    const watch = await PodWatch.start(cluster.rest, NS, 'app=web', (current) => {
      for (const name of seen) if (!current.has(name)) (seen.delete(name), removed.push(name));
      for (const [name, pod] of current) {
        if (seen.has(name)) continue;
        seen.add(name);
        const ord = Number(name.slice('web-'.length));
        const previous = current.get(`web-${ord - 1}`);
        if (ord > 0 && !(previous && isReady(previous))) return `${name} created before web-${ord - 1} was Ready`;
        if (pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'] !== name) return `${name} lacks its pod-name label`;
      }
      return undefined;
    });
    await sets().create(statefulSet('web', { volumeClaimTemplates: [claimTemplate] }));
    // kubectl reports any RollingUpdate with a partition (defaulted to 0) as partitioned.
    assert.match(await rolloutStatus('web'), /partitioned roll out complete: 3 new pods have been updated/);

    const list = await podsOf('web');
    assert.deepEqual(names(list), ['web-0', 'web-1', 'web-2']);
    for (const p of list) {
      assert.equal(p.spec?.hostname, p.metadata?.name);
      assert.equal(p.spec?.subdomain, 'web');
      const claimName = `data-${p.metadata?.name}`;
      assert.deepEqual(p.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName });
    }
    assert.deepEqual(names((await claims().list()).items), ['data-web-0', 'data-web-1', 'data-web-2']);
    const set = await sets().get('web');
    assert.deepEqual(
      { r: set.status?.replicas, ready: set.status?.readyReplicas, a: set.status?.availableReplicas, c: set.status?.currentReplicas, u: set.status?.updatedReplicas },
      { r: 3, ready: 3, a: 3, c: 3, u: 3 },
    );
    assert.equal(set.status?.observedGeneration, set.metadata?.generation);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    assert.ok(list.every((p) => p.metadata?.labels?.['controller-revision-hash'] === set.status?.updateRevision));

    await k('scale', 'statefulset/web', '--replicas=1');
    await waitUntil('scaled down to web-0', async () => names(await podsOf('web')).join() === 'web-0', { timeoutMs: 30_000 });
    await waitUntil('the watch saw both removals', () => removed.length === 2, { timeoutMs: 5_000 });
    assert.deepEqual(await watch.stop(), []);
    assert.deepEqual(removed, ['web-2', 'web-1'], 'scale-down goes from the highest ordinal');
    assert.deepEqual(names((await claims().list()).items), ['data-web-0', 'data-web-1', 'data-web-2'], 'claims outlive scale-down (whenScaled: Retain)');
  });

  it('RollingUpdate with a partition updates ordinals from the top down to it; rollout status, history and undo work', async () => {
    await sets().create(statefulSet('part', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await rolloutStatus('part');
    const v1 = (await sets().get('part')).status?.currentRevision;
    await k('set', 'image', 'statefulset/part', 'c=busybox:v2');
    assert.match(await rolloutStatus('part'), /partitioned roll out complete: 2 new pods have been updated/);
    const images = async () => Object.fromEntries((await podsOf('part')).map((p) => [p.metadata?.name, p.spec?.containers[0]?.image]));
    assert.deepEqual(await images(), { 'part-0': 'busybox:v1', 'part-1': 'busybox:v2', 'part-2': 'busybox:v2' });
    let set = await sets().get('part');
    assert.equal(set.status?.currentRevision, v1, 'a partitioned rollout keeps the current revision');
    assert.notEqual(set.status?.updateRevision, v1);
    assert.equal(set.status?.updatedReplicas, 2);
    assert.equal(set.status?.currentReplicas, 1);

    await k('patch', 'statefulset/part', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}');
    assert.match(await rolloutStatus('part'), /partitioned roll out complete: 3 new pods have been updated/);
    assert.deepEqual(await images(), { 'part-0': 'busybox:v2', 'part-1': 'busybox:v2', 'part-2': 'busybox:v2' });
    set = await sets().get('part');
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);

    const revisions = (await cluster.rest.resource<ControllerRevision>(resources.CONTROLLERREVISIONS).namespace(NS).list()).items.filter(
      (r) => controllerOf(r)?.uid === set.metadata?.uid,
    );
    assert.deepEqual(revisions.map((r) => r.revision).sort(), [1, 2]);
    assert.ok(revisions.every((r) => r.metadata?.name === `part-${r.metadata?.labels?.['controller-revision-hash']}`));
    const history = await k('rollout', 'history', 'statefulset/part');
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    assert.match(await k('rollout', 'history', 'statefulset/part', '--revision=1'), /busybox:v1/);

    await k('rollout', 'undo', 'statefulset/part');
    await rolloutStatus('part');
    assert.deepEqual(await images(), { 'part-0': 'busybox:v1', 'part-1': 'busybox:v1', 'part-2': 'busybox:v1' });
    set = await sets().get('part');
    assert.equal(set.status?.updateRevision, v1, 'undo brings back the old revision, renumbered');
    const undone = await cluster.rest.resource<ControllerRevision>(resources.CONTROLLERREVISIONS).namespace(NS).get(v1 ?? '');
    assert.equal(undone.revision, 3);
  });

  it('Parallel creates all pods at once; a failed pod is recreated; whenScaled: Delete removes claims of removed pods', async () => {
    await sets().create(
      statefulSet('par', {
        replicas: 3,
        podManagementPolicy: 'Parallel',
        volumeClaimTemplates: [claimTemplate],
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' },
      }),
    );
    await rolloutStatus('par');
    const failed = await pods().get('par-1');
    await pods().patch('par-1', 'merge', { status: { phase: 'Failed' } }, { subresource: 'status' });
    await waitUntil(
      'par-1 recreated and Ready',
      async () => {
        const p = await pods().get('par-1');
        return p.metadata?.uid !== failed.metadata?.uid && isReady(p);
      },
      { timeoutMs: 30_000 },
    );
    await k('scale', 'statefulset/par', '--replicas=1');
    await waitUntil('par-1 and par-2 gone with their claims', async () => names(await podsOf('par')).join() === 'par-0' && names((await claims().list({ labelSelector: 'app=par' })).items).join() === 'data-par-0', {
      timeoutMs: 30_000,
    });
  });
});
