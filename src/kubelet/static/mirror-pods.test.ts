import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { newForbidden } from '../../api/status-errors.js';
import { silentLogger } from '../../util/log.js';
import { FakeKubeletApi } from '../test-support.js';
import { parseManifest } from './manifest.js';
import { MirrorPods, mirrorPodFor } from './mirror-pods.js';
import { isMirrorPod, isMirrorPodOf, isStaticPod } from './pod-source-annotations.js';

const node: Node = { metadata: { name: 'n1', uid: 'node-uid' }, status: { allocatable: { cpu: '1' } } };

function staticPod(arg = '3600'): Pod {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', arg] }] } });
  const r = parseManifest(text, { path: '/m/web.json', nodeName: 'n1' });
  if ('error' in r) assert.fail(r.error);
  return r.pod;
}

function setup(nodeKnown = true) {
  const api = new FakeKubeletApi();
  const state: { node: Node | undefined } = { node: nodeKnown ? node : undefined };
  const mirrors = new MirrorPods(api, () => state.node, silentLogger);
  return { api, mirrors, state };
}

describe('mirror pods', () => {
  it('builds the mirror of a static pod: same name and spec, mirror annotation, owned by the Node', () => {
    const pod = staticPod();
    const mirror = mirrorPodFor(pod, node);
    assert.equal(mirror.metadata?.name, 'web-n1');
    assert.equal(mirror.metadata?.uid, undefined);
    assert.equal(mirror.metadata?.annotations?.['kubernetes.io/config.mirror'], pod.metadata?.uid);
    assert.equal(mirror.metadata?.annotations?.['kubernetes.io/config.source'], 'file');
    assert.deepEqual(mirror.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }]);
    assert.deepEqual(mirror.spec, pod.spec);
    assert.ok(isMirrorPod(mirror) && !isStaticPod({ metadata: { annotations: { 'kubernetes.io/config.source': 'api' } } }) && isStaticPod(pod));
    assert.ok(isMirrorPodOf({ ...mirror, metadata: { ...mirror.metadata, uid: 'x' } }, pod));
    assert.ok(!isMirrorPodOf(mirror, staticPod('1')));
  });

  it('creates the mirror once the Node is known, then finds it current', async () => {
    const { api, mirrors, state } = setup(false);
    const pod = staticPod();
    assert.equal(await mirrors.ensure(pod), 'pending');
    state.node = node;
    assert.equal(await mirrors.ensure(pod), 'created');
    const created = api.pod('default', 'web-n1')!;
    assert.equal(mirrors.mirrorUid(pod), created.metadata?.uid);
    assert.equal(mirrors.observed(created), false);
    assert.equal(await mirrors.ensure(pod), 'current');
    assert.equal(api.calls.filter((c) => c.startsWith('createPod')).length, 1);
  });

  it('recreates a deleted mirror, replaces an outdated one, and deletes orphans and mirrors of removed pods', async () => {
    const { api, mirrors } = setup();
    const pod = staticPod();
    await mirrors.ensure(pod);
    const first = api.pod('default', 'web-n1')!;
    // deleted through the API: the source reports it gone
    await api.deletePod('default', 'web-n1', first.metadata!.uid!);
    mirrors.removed(first);
    assert.equal(mirrors.mirrorUid(pod), undefined);
    assert.equal(await mirrors.ensure(pod), 'created');
    const second = api.pod('default', 'web-n1')!;
    assert.notEqual(second.metadata?.uid, first.metadata?.uid);
    // a changed manifest: the old mirror goes, a new one comes
    const changed = staticPod('1');
    assert.equal(await mirrors.ensure(changed), 'created');
    assert.equal(api.pod('default', 'web-n1')?.metadata?.annotations?.['kubernetes.io/config.mirror'], changed.metadata?.uid);
    // the old static pod's removal leaves the new mirror alone
    await mirrors.deleteFor(pod);
    assert.ok(api.pod('default', 'web-n1'));
    await mirrors.deleteFor(changed);
    assert.equal(api.pod('default', 'web-n1'), undefined);
    // an orphan (its static pod gone while the kubelet was away)
    const orphan = { ...mirrorPodFor(staticPod('2'), node) };
    const stored = await api.createPod(orphan);
    mirrors.observed(stored);
    await mirrors.deleteOrphans([changed]);
    assert.ok(api.pod('default', 'web-n1'), 'a mirror with a static pod of its name is kept');
    await mirrors.deleteOrphans([]);
    assert.equal(api.pod('default', 'web-n1'), undefined);
  });

  it('reports a failing API as pending', async () => {
    const { api, mirrors } = setup();
    api.down = true;
    assert.equal(await mirrors.ensure(staticPod()), 'pending');
  });

  it('coalesces calls while one runs, and still reports a creation made by any of them', async () => {
    const { api, mirrors } = setup();
    const pod = staticPod();
    const first = mirrors.ensure(pod);
    const second = mirrors.ensure(pod);
    const third = mirrors.ensure(pod);
    assert.equal(first, second);
    assert.equal(second, third);
    assert.equal(await first, 'created');
    assert.equal(api.calls.filter((c) => c.startsWith('createPod')).length, 1);
  });

  it('reports a mirror the API server refuses (a static pod naming a service account) as refused', async () => {
    const { api, mirrors } = setup();
    api.createPod = async () => {
      throw newForbidden({ group: '', resource: 'pods' }, 'web-n1', 'a mirror pod may not reference service accounts');
    };
    assert.equal(await mirrors.ensure(staticPod()), 'refused');
  });
});
