import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { claimsFor, newStatefulSetPod, ordinalOf } from './identity.js';
import { computeStatus } from './status.js';

const set: StatefulSet = {
  metadata: { name: 'web', namespace: 'ns', generation: 4 },
  spec: {
    serviceName: 'nginx',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'] } }],
  },
};
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true };

describe('StatefulSet identity and status', () => {
  it('parses ordinals only from <set>-<n> names', () => {
    const named = (name: string): Pod => ({ metadata: { name } });
    assert.equal(ordinalOf(set, named('web-0')), 0);
    assert.equal(ordinalOf(set, named('web-12')), 12);
    assert.equal(ordinalOf(set, named('web-01')), undefined);
    assert.equal(ordinalOf(set, named('web-x')), undefined);
    assert.equal(ordinalOf(set, named('webby-1')), undefined);
  });

  it('makes the pod of an ordinal with its hostname, subdomain, labels and claim volumes', () => {
    const pod = newStatefulSetPod(set, set.spec!.template, 'web-abc', 2, ref);
    assert.equal(pod.metadata?.name, 'web-2');
    assert.deepEqual(pod.metadata?.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
    assert.equal(pod.spec?.hostname, 'web-2');
    assert.equal(pod.spec?.subdomain, 'nginx');
    assert.deepEqual(pod.spec?.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } }, { name: 'tmp', emptyDir: {} }]);
    const [claim] = claimsFor(set, 2);
    assert.equal(claim?.metadata?.name, 'data-web-2');
    assert.deepEqual(claim?.metadata?.labels, { tier: 'db', app: 'web' });
  });

  it('counts pods by revision and completes a rolling update once all are updated and ready', () => {
    const pod = (name: string, rev: string, ready = true): Pod => ({
      metadata: { name, labels: { 'controller-revision-hash': rev } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    const base = { set, currentRevision: 'web-1', updateRevision: 'web-2', collisionCount: 0, isAvailable: () => true };
    const mid = computeStatus({ ...base, pods: [pod('web-0', 'web-1'), pod('web-1', 'web-2', false)] });
    assert.deepEqual(
      { r: mid.replicas, ready: mid.readyReplicas, c: mid.currentReplicas, u: mid.updatedReplicas, cur: mid.currentRevision, g: mid.observedGeneration },
      { r: 2, ready: 1, c: 1, u: 1, cur: 'web-1', g: 4 },
    );
    const done = computeStatus({ ...base, pods: [pod('web-0', 'web-2'), pod('web-1', 'web-2')] });
    assert.deepEqual({ c: done.currentReplicas, cur: done.currentRevision }, { c: 2, cur: 'web-2' });
  });
});
