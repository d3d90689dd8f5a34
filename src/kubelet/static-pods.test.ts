import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../util/clock.js';
import { parseManifest } from './static/manifest.js';
import { fakeKubelet, FakeKubeletApi, FakeRuntime, testPod } from './test-support.js';

const node: Node = {
  metadata: { name: 'node-a', uid: 'node-uid' },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
};

function staticPod(arg = '1000'): Pod {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'etcd', namespace: 'kube-system' }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', arg] }] } });
  const r = parseManifest(text, { path: '/data/manifests/etcd.json', nodeName: 'node-a' });
  if ('error' in r) assert.fail(r.error);
  return r.pod;
}

function setup(shared?: { clock: FakeClock; runtime: FakeRuntime; api: FakeKubeletApi }) {
  const state: { node: Node | undefined; ready: boolean } = { node: undefined, ready: false };
  const { clock, runtime, api, kubelet } = fakeKubelet({ node: () => state.node, sourcesReady: () => state.ready }, shared);
  /** What the API source would deliver: the API's copy of the mirror pod. */
  const deliverMirror = () => {
    const m = api.pod('kube-system', 'etcd-node-a');
    if (m) kubelet.podUpdated(m);
  };
  const settle = async (ms = 1_000) => {
    await kubelet.idle();
    clock.step(ms);
    await kubelet.idle();
  };
  return { clock, runtime, api, kubelet, state, deliverMirror, settle };
}

describe('Kubelet: static pods and mirror pods', () => {
  it('runs a static pod with no API server and no Node, then mirrors it and posts its status there', async () => {
    const { runtime, api, kubelet, state, deliverMirror, settle } = setup();
    api.down = true;
    const pod = staticPod();
    kubelet.podUpdated(pod);
    await kubelet.idle();
    const c = runtime.running('main');
    assert.ok(c, 'the static pod runs without the API');
    assert.equal(kubelet.statuses.get(pod.metadata!.uid!)?.phase, 'Running');
    // the API comes back and the node registers: the mirror appears with the status
    api.down = false;
    state.node = node;
    await settle();
    const mirror = api.pod('kube-system', 'etcd-node-a');
    assert.ok(mirror, 'mirror pod created');
    assert.equal(mirror.metadata?.annotations?.['kubernetes.io/config.mirror'], pod.metadata?.uid);
    assert.equal(mirror.metadata?.ownerReferences?.[0]?.kind, 'Node');
    assert.equal(mirror.status?.phase, 'Running');
    assert.equal(mirror.status?.containerStatuses?.[0]?.containerID, `fake://${c.id}`);
    deliverMirror();
    await kubelet.idle();
    assert.equal(runtime.running('main')?.id, c.id);
    assert.equal(kubelet.listPods().length, 1, 'the mirror is not a pod to run');
  });

  it('recreates a deleted mirror without restarting the pod, replaces it on a manifest change, deletes it on removal', async () => {
    const { runtime, api, kubelet, state, deliverMirror, settle } = setup();
    state.node = node;
    state.ready = true;
    const pod = staticPod();
    kubelet.podUpdated(pod);
    await settle();
    deliverMirror();
    const first = api.pod('kube-system', 'etcd-node-a')!;
    const c = runtime.running('main')!;
    // kubectl delete pod (the API deletes at once: the source reports the deletion)
    await api.deletePod('kube-system', 'etcd-node-a', first.metadata!.uid!);
    kubelet.podDeleted(first);
    await settle();
    const second = api.pod('kube-system', 'etcd-node-a');
    assert.ok(second && second.metadata?.uid !== first.metadata?.uid, 'mirror recreated');
    assert.equal(second.status?.phase, 'Running', 'the status goes to the new mirror');
    assert.equal(runtime.running('main')?.id, c.id, 'not restarted');
    deliverMirror();
    // the manifest changes: the old pod stops, the new one starts, the mirror is replaced
    const changed = staticPod('2000');
    kubelet.podDeleted(pod);
    kubelet.podUpdated(changed);
    await settle();
    await settle();
    const now = runtime.running('main');
    assert.ok(now && now.id !== c.id, 'restarted');
    assert.equal(runtime.byName('main').filter((x) => x.state === 'running').length, 1);
    const third = api.pod('kube-system', 'etcd-node-a');
    assert.equal(third?.metadata?.annotations?.['kubernetes.io/config.mirror'], changed.metadata?.uid);
    deliverMirror();
    // the manifest is removed
    kubelet.podDeleted(changed);
    await settle();
    assert.equal(runtime.running('main'), undefined);
    assert.equal(api.pod('kube-system', 'etcd-node-a'), undefined);
  });

  it('housekeeping waits for the sources, keeps static pods, and deletes orphaned mirrors', async () => {
    const { runtime, api, kubelet, state, settle } = setup();
    state.node = node;
    const pod = staticPod();
    kubelet.podUpdated(pod);
    await settle();
    const mirror = api.pod('kube-system', 'etcd-node-a')!;
    // a mirror of a manifest removed while the kubelet was away
    const orphan = await api.createPod({ metadata: { name: 'old-node-a', namespace: 'kube-system', annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { containers: [] } });
    kubelet.podUpdated(orphan);
    kubelet.podUpdated(mirror);
    await kubelet.housekeeping();
    assert.ok(api.pod('kube-system', 'old-node-a'), 'not before the sources are ready');
    state.ready = true;
    await kubelet.housekeeping();
    await settle();
    assert.equal(api.pod('kube-system', 'old-node-a'), undefined);
    assert.ok(api.pod('kube-system', 'etcd-node-a'));
    assert.ok(runtime.running('main'), 'the static pod keeps running');
  });

  it('leaves runtime pods the API source has not delivered yet alone until the sources are ready (a kubelet restart)', async () => {
    const first = setup();
    first.state.node = node;
    first.state.ready = true;
    const apiPod = testPod('app', { tolerations: [{ operator: 'Exists' }] });
    first.api.addPod(apiPod);
    first.kubelet.podUpdated(first.api.pod('default', 'app')!);
    await first.kubelet.idle();
    const c = first.runtime.running('main');
    assert.ok(c);
    await first.kubelet.stop();
    // a new kubelet over the same runtime; its API source has not synced
    const second = setup(first);
    second.kubelet.start();
    await second.settle(3_000);
    assert.equal(first.runtime.running('main')?.id, c.id, 'not removed before the sources are ready');
    second.state.ready = true;
    await second.kubelet.housekeeping();
    await second.settle(3_000);
    assert.equal(first.runtime.running('main'), undefined, 'removed once the API source says it has no such pod');
    await second.kubelet.stop();
  });
});
