import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../api/meta.js';
import { compareForDeletion, podsToDelete, rankByRelatedPodsOnNode } from './ranking.js';

const NOW = Date.UTC(2026, 0, 1, 12);

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgoMs?: number; restarts?: number; createdAgoMs?: number; cost?: number } = {}): Pod {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: formatTime(NOW - (o.createdAgoMs ?? 3_600_000)),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: formatTime(NOW - (o.readyAgoMs ?? 3_600_000)) }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

const first = (a: Pod, b: Pod, related: Pod[] = []) => {
  const [ra, rb] = rankByRelatedPodsOnNode([a, b], related);
  return compareForDeletion(ra!, rb!, NOW) < 0 ? a.metadata?.name : b.metadata?.name;
};

describe('deletion ranking (ActivePodsWithRanks)', () => {
  it('unassigned before assigned', () => assert.equal(first(pod('a', { node: 'n1' }), pod('b')), 'b'));
  it('Pending before Unknown before Running', () => {
    assert.equal(first(pod('a', { node: 'n', phase: 'Running' }), pod('b', { node: 'n', phase: 'Pending' })), 'b');
    assert.equal(first(pod('a', { node: 'n', phase: 'Unknown' }), pod('b', { node: 'n', phase: 'Running' })), 'a');
  });
  it('not ready before ready', () => assert.equal(first(pod('a', { node: 'n' }), pod('b', { node: 'n', ready: false })), 'b'));
  it('lower deletion cost first', () => assert.equal(first(pod('a', { node: 'n', cost: 10 }), pod('b', { node: 'n', cost: -1 })), 'b'));
  it('pods on nodes with more related replicas first', () => {
    const related = [pod('x', { node: 'n2' }), pod('y', { node: 'n2' }), pod('z', { node: 'n1' })];
    assert.equal(first(pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), related), 'b');
  });
  it('ready for less time first (log2 buckets)', () => {
    assert.equal(first(pod('a', { node: 'n', readyAgoMs: 3_600_000 }), pod('b', { node: 'n', readyAgoMs: 10_000 })), 'b');
  });
  it('more restarts first', () => assert.equal(first(pod('a', { node: 'n', restarts: 1 }), pod('b', { node: 'n', restarts: 5 })), 'b'));
  it('newer first; same log2 bucket falls back to UID', () => {
    assert.equal(first(pod('a', { node: 'n', createdAgoMs: 7_200_000 }), pod('b', { node: 'n', createdAgoMs: 60_000 })), 'b');
    // 1000 s and 1001 s ago share a log2(ns) bucket: UID decides.
    assert.equal(first(pod('b', { node: 'n', createdAgoMs: 1_000_000 }), pod('a', { node: 'n', createdAgoMs: 1_001_000 })), 'a');
  });
  it('podsToDelete takes the first N by rank, or every pod', () => {
    const pods = [pod('ready', { node: 'n' }), pod('pending', { node: 'n', phase: 'Pending' }), pod('unassigned')];
    assert.deepEqual(podsToDelete(pods, [], 2, NOW).map((p) => p.metadata?.name), ['unassigned', 'pending']);
    assert.equal(podsToDelete(pods, [], 5, NOW).length, 3);
  });
});
