import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../api/labels/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceClient } from '../../client/rest/index.js';
import { claimObjects, recheckDeletionTimestamp } from './ref-manager.js';

const owner = { metadata: { name: 'rs', namespace: 'ns', uid: 'owner' } };
const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'owner', controller: true, blockOwnerDeletion: true };
const pod = (name: string, labels: Record<string, string>, controller?: string): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels, ...(controller ? { ownerReferences: [{ ...ref, uid: controller }] } : {}) },
});

function fakeClient() {
  const patches: { name: string; body: unknown }[] = [];
  const client = {
    patch: async (name: string, _type: string, body: unknown) => {
      patches.push({ name, body });
      return { metadata: { name, namespace: 'ns' } } as Pod;
    },
  } as unknown as ResourceClient<Pod>;
  return { client, patches };
}

describe('claimObjects (ControllerRefManager)', () => {
  const selector = selectorFromSet({ app: 'web' });

  it('keeps its matching pods, adopts matching orphans after one recheck, releases its non-matching pods, ignores others', async () => {
    const { client, patches } = fakeClient();
    let rechecks = 0;
    const claimed = await claimObjects<Pod>(
      { owner, ownerRef: ref, selector, client, kind: 'Pod', recheckOwner: async () => void rechecks++ },
      [pod('mine', { app: 'web' }, 'owner'), pod('orphan1', { app: 'web' }), pod('orphan2', { app: 'web' }), pod('relabeled', { app: 'x' }, 'owner'), pod('theirs', { app: 'web' }, 'other'), pod('stranger', { app: 'x' })],
    );
    assert.deepEqual(claimed.map((p) => p.metadata?.name), ['mine', 'orphan1', 'orphan2']);
    assert.equal(rechecks, 1, 'the owner is read afresh once per claim');
    assert.deepEqual(patches.map((p) => p.name), ['orphan1', 'orphan2', 'relabeled']);
    assert.deepEqual(patches[0]?.body, { metadata: { ownerReferences: [ref], uid: 'uid-orphan1' } });
    assert.deepEqual(patches[2]?.body, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner' }], uid: 'uid-relabeled' } });
  });

  it('an owner being deleted adopts nothing and releases nothing', async () => {
    const { client, patches } = fakeClient();
    const deleting = { metadata: { ...owner.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const claimed = await claimObjects<Pod>({ owner: deleting, ownerRef: ref, selector, client, kind: 'Pod', recheckOwner: async () => undefined }, [
      pod('mine', { app: 'web' }, 'owner'),
      pod('orphan', { app: 'web' }),
      pod('relabeled', { app: 'x' }, 'owner'),
    ]);
    assert.deepEqual(claimed.map((p) => p.metadata?.name), ['mine']);
    assert.deepEqual(patches, []);
  });

  it('a fresh read showing the owner deleted or replaced refuses adoption', async () => {
    const { client, patches } = fakeClient();
    const fresh = (m: KubeObject['metadata']) => recheckDeletionTimestamp(async () => ({ metadata: m }), owner);
    await assert.rejects(
      claimObjects<Pod>({ owner, ownerRef: ref, selector, client, kind: 'Pod', recheckOwner: fresh({ ...owner.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' }) }, [pod('orphan', { app: 'web' })]),
      /can't adopt Pod ns\/orphan \(uid-orphan\): ns\/rs has just been deleted at/,
    );
    await assert.rejects(
      claimObjects<Pod>({ owner, ownerRef: ref, selector, client, kind: 'Pod', recheckOwner: fresh({ ...owner.metadata, uid: 'new' }) }, [pod('orphan', { app: 'web' })]),
      /original ns\/rs is gone: got uid new, wanted owner/,
    );
    assert.deepEqual(patches, []);
  });
});
