import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { budgetCounts, scaled } from './budget.js';

const pod = (name: string, ready: boolean, deleting = false): Pod => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: PodDisruptionBudget['spec'], disruptedPods?: Record<string, string>): PodDisruptionBudget => ({ spec, ...(disruptedPods ? { status: { disruptedPods, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 } } : {}) });

describe('PodDisruptionBudget arithmetic', () => {
  it('scales percentages up', () => {
    assert.equal(scaled('50%', 3), 2);
    assert.equal(scaled('10%', 10), 1);
    assert.equal(scaled(2, 10), 2);
    assert.throws(() => scaled('x%', 3), /invalid value/);
  });

  it('minAvailable as a number counts matching pods; healthy means Ready and not terminating or disrupted', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', false), pod('d', true, true), pod('e', true)];
    assert.deepEqual(budgetCounts(pdb({ minAvailable: 2 }), pods, () => assert.fail('no scale needed')), { expectedPods: 5, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
    assert.deepEqual(budgetCounts(pdb({ minAvailable: 2 }, { e: '2026-01-01T00:00:00Z' }), pods, () => 0).currentHealthy, 2);
  });

  it('percentages and maxUnavailable use the controllers\' scale', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', true)];
    assert.deepEqual(budgetCounts(pdb({ maxUnavailable: 1 }), pods, () => 4), { expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    assert.deepEqual(budgetCounts(pdb({ minAvailable: '50%' }), pods, () => 4), { expectedPods: 4, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
    assert.throws(() => budgetCounts(pdb({ maxUnavailable: '25%' }), pods, () => { throw new Error('found no controllers'); }), /found no controllers/);
  });
});
