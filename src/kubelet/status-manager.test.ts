import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { silentLogger } from '../util/log.js';
import { StatusManager } from './status-manager.js';
import { FakeKubeletApi } from './test-support.js';

const staticPod: Pod = { metadata: { name: 'etcd-n1', namespace: 'kube-system', uid: 'static-uid' }, spec: { containers: [] }, status: { phase: 'Pending' } };
const mirror = (uid: string): Pod => ({ metadata: { name: 'etcd-n1', namespace: 'kube-system', uid }, spec: { containers: [] } });

describe('StatusManager with a UID translation (static pods → mirror pods)', () => {
  it('keeps the status while there is no mirror, posts it to the mirror, and again to a new one', async () => {
    const api = new FakeKubeletApi();
    let target: string | undefined;
    const statuses = new StatusManager(api, silentLogger, () => target);
    statuses.set(staticPod, { phase: 'Running' });
    await statuses.idle();
    assert.deepEqual(api.calls, [], 'nothing to post to');
    api.addPod(mirror('m1'));
    target = 'm1';
    statuses.repost('static-uid');
    await statuses.idle();
    assert.equal(api.pod('kube-system', 'etcd-n1')?.status?.phase, 'Running');
    // unchanged: not posted again
    statuses.set(staticPod, { phase: 'Running' });
    await statuses.idle();
    assert.equal(api.calls.length, 1);
    // the mirror is recreated while a post to the old one is in flight: the new one gets it too
    statuses.set(staticPod, { phase: 'Running', message: 'x' });
    api.pods.clear();
    api.addPod(mirror('m2'));
    target = 'm2';
    statuses.repost('static-uid');
    await statuses.idle();
    assert.equal(api.pod('kube-system', 'etcd-n1')?.status?.message, 'x');
  });
});
