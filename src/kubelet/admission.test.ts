import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { admitPod, matchesNodeAffinity, podRequests, tolerates } from './admission.js';
import { testPod } from './test-support.js';

const node: Node = {
  metadata: { name: 'n1', labels: { zone: 'a', cores: '8' } },
  status: { allocatable: { cpu: '1', memory: '1Gi', pods: '2' } },
};

describe('admission', () => {
  it('sums app containers, takes the largest init container, adds overhead', () => {
    const pod = testPod('p', {
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '10Mi' } } },
        { name: 'b', resources: { limits: { cpu: '200m' } } },
      ],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '500m' } } }],
      overhead: { cpu: '10m' },
    });
    assert.deepEqual(podRequests(pod), { cpu: 510, memory: 10 * 1024 * 1024, 'ephemeral-storage': 0 });
  });

  it('rejects on memory and pod count with the kubelet reasons', () => {
    const big = testPod('big', { containers: [{ name: 'a', resources: { requests: { memory: '2Gi' } } }] });
    const r = admitPod(big, node, []);
    assert.equal(r.admit, false);
    assert.equal(r.admit === false && r.reason, 'OutOfmemory');
    const small = testPod('s');
    const full = admitPod(small, node, [testPod('x'), testPod('y')]);
    assert.equal(full.admit === false && full.reason, 'OutOfpods');
    assert.equal(full.admit === false && full.message, "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2");
  });

  it('matches required node affinity terms (ORed terms, ANDed expressions)', () => {
    const aff = (exprs: { key: string; operator: string; values?: string[] }[][]) =>
      testPod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: exprs.map((e) => ({ matchExpressions: e })) } } } });
    assert.ok(matchesNodeAffinity(aff([[{ key: 'zone', operator: 'In', values: ['a', 'b'] }]]), node));
    assert.ok(!matchesNodeAffinity(aff([[{ key: 'zone', operator: 'NotIn', values: ['a'] }]]), node));
    assert.ok(matchesNodeAffinity(aff([[{ key: 'zone', operator: 'NotIn', values: ['a'] }], [{ key: 'cores', operator: 'Gt', values: ['4'] }]]), node));
    assert.ok(!matchesNodeAffinity(aff([[{ key: 'cores', operator: 'Lt', values: ['4'] }, { key: 'zone', operator: 'Exists' }]]), node));
    assert.ok(matchesNodeAffinity(aff([[{ key: 'gpu', operator: 'DoesNotExist' }]]), node));
  });

  it('tolerations match taints by key, value, operator and effect', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoExecute' as const };
    assert.ok(tolerates({ operator: 'Exists' }, taint));
    assert.ok(tolerates({ key: 'k', operator: 'Exists' }, taint));
    assert.ok(tolerates({ key: 'k', value: 'v' }, taint));
    assert.ok(!tolerates({ key: 'k', value: 'w' }, taint));
    assert.ok(!tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint));
  });

  it('leaves NoSchedule taints to the scheduler, as the kubelet does', () => {
    const tainted: Node = { ...node, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } };
    assert.deepEqual(admitPod(testPod('p'), tainted, []), { admit: true });
  });
});
