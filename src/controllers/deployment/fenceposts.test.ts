import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, roundHalfAwayFromZero, scaledValue } from './fenceposts.js';

const dep = (replicas: number, surge: number | string, unavailable: number | string, type = 'RollingUpdate'): Deployment => ({
  metadata: { name: 'd' },
  spec: { replicas, selector: {}, template: {}, strategy: { type, ...(type === 'RollingUpdate' ? { rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : {}) } },
});
const rs = (replicas: number): ReplicaSet => ({ metadata: { name: `rs-${replicas}` }, spec: { replicas, selector: {} } });

describe('rolling-update arithmetic', () => {
  it('percentages: surge rounds up, unavailable rounds down', () => {
    assert.equal(scaledValue('25%', 10, true), 3);
    assert.equal(scaledValue('25%', 10, false), 2);
    assert.equal(scaledValue(4, 10, true), 4);
    assert.throws(() => scaledValue('25', 10, true), /not a percentage/);
  });

  it('both zero after rounding means one unavailable', () => {
    assert.deepEqual(resolveFenceposts('10%', '10%', 1), { surge: 1, unavailable: 0 });
    assert.deepEqual(resolveFenceposts(0, '10%', 5), { surge: 0, unavailable: 1 });
    assert.deepEqual(resolveFenceposts(0, 0, 5), { surge: 0, unavailable: 1 });
  });

  it('a Deployment: defaults, Recreate, unavailable capped at replicas', () => {
    assert.equal(maxSurge(dep(4, '25%', '25%')), 1);
    assert.equal(maxUnavailable(dep(4, '25%', '25%')), 1);
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxSurge(dep(4, 0, 0, 'Recreate')), 0);
    assert.equal(maxUnavailable(dep(0, 1, 1)), 0);
  });

  it('the new ReplicaSet grows within the surge', () => {
    const d = dep(3, 1, 0);
    assert.equal(newRSNewReplicas(d, [rs(3), rs(0)], rs(0)), 1);
    assert.equal(newRSNewReplicas(d, [rs(3), rs(1)], rs(1)), 1, 'at maxTotal: no growth');
    assert.equal(newRSNewReplicas(d, [rs(1), rs(2)], rs(2)), 3);
    assert.equal(newRSNewReplicas(dep(3, 0, 0, 'Recreate'), [rs(3)], rs(0)), 3);
  });

  it('Go rounding and proportional shares', () => {
    assert.equal(roundHalfAwayFromZero(2.5), 3);
    assert.equal(roundHalfAwayFromZero(-2.5), -3);
    // Deployment scaled from 10 (+3 surge = 13) to 20 (+5 = 25): a RS of 6 grows to round(6*25/13)=12, +6.
    const d = dep(20, '25%', '25%');
    assert.equal(proportion(rs(6), d, 12, 0, 13), 6);
    assert.equal(proportion(rs(6), d, 4, 0, 13), 4, 'never more than what is left to add');
    assert.equal(proportion(rs(0), d, 4, 0, 13), 0);
    // scaling to zero: each RS loses all of its replicas
    assert.equal(proportion(rs(5), dep(0, 1, 1), -8, 0, 8), -5);
  });
});
