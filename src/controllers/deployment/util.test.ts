import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { equalIgnoreHash, newCondition, setCondition, setNewReplicaSetAnnotations } from './util.js';

const d: Deployment = {
  metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '9' } },
  spec: { replicas: 4, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } },
};

describe('deployment annotations and conditions', () => {
  it('a new ReplicaSet: copied annotations (not the skipped ones), revision, desired and max replicas', () => {
    const rs: ReplicaSet = { metadata: { name: 'web-x' } };
    assert.equal(setNewReplicaSetAnnotations(d, rs, 1, false), true);
    assert.deepEqual(rs.metadata?.annotations, {
      'kubernetes.io/change-cause': 'v2',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  it('a rollback to an old ReplicaSet keeps its superseded revisions in revision-history', () => {
    const rs: ReplicaSet = { metadata: { name: 'web-x', annotations: { 'deployment.kubernetes.io/revision': '1' } } };
    setNewReplicaSetAnnotations(d, rs, 3, true);
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    setNewReplicaSetAnnotations(d, rs, 5, true);
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1,3');
    assert.equal(setNewReplicaSetAnnotations(d, rs, 5, true), false, 'nothing changes for the same revision');
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], undefined, 'replica annotations only on creation');
  });

  it('EqualIgnoreHash ignores pod-template-hash and empty values', () => {
    const a = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const b = { metadata: { labels: { app: 'web' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'i', env: [] }] } };
    assert.equal(equalIgnoreHash(a, b), true);
    assert.equal(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'j' }] } }), false);
  });

  it('SetDeploymentCondition keeps lastTransitionTime for the same status and ignores the same reason', () => {
    const s: DeploymentStatus = {};
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'm1', Date.UTC(2026, 0, 1)));
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'other', Date.UTC(2026, 0, 2)));
    assert.equal(s.conditions?.[0]?.message, 'm1');
    setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'm2', Date.UTC(2026, 0, 3)));
    assert.equal(s.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(s.conditions?.[0]?.lastUpdateTime, '2026-01-03T00:00:00Z');
    setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'm3', Date.UTC(2026, 0, 4)));
    assert.equal(s.conditions?.[0]?.lastTransitionTime, '2026-01-04T00:00:00Z');
    assert.equal(s.conditions?.length, 1);
  });
});
