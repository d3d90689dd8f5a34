// The TTL-after-finished arithmetic: finish time from the Complete/Failed condition, time left.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { jobFinishTime, needsCleanup, timeLeft } from './ttl.js';

const job = (ttl: number | undefined, condition?: { type: string; status: string; at: string }): Job => ({
  metadata: { name: 'j' },
  spec: { template: {}, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
  status: condition ? { conditions: [{ type: condition.type, status: condition.status, lastTransitionTime: condition.at }] } : {},
});

describe('ttl after finished', () => {
  const at = '2026-01-01T00:00:00Z';
  const t0 = Date.parse(at);
  it('counts from the Complete or Failed condition', () => {
    assert.equal(jobFinishTime(job(10, { type: 'Complete', status: 'True', at })), t0);
    assert.equal(jobFinishTime(job(10, { type: 'Failed', status: 'True', at })), t0);
    assert.equal(jobFinishTime(job(10, { type: 'Complete', status: 'False', at })), undefined);
  });
  it('needs a TTL and a finished job', () => {
    assert.equal(needsCleanup(job(undefined, { type: 'Complete', status: 'True', at })), false);
    assert.equal(needsCleanup(job(5)), false);
    assert.equal(needsCleanup(job(0, { type: 'Complete', status: 'True', at })), true);
  });
  it('reports the time left on the clock', () => {
    const j = job(10, { type: 'Complete', status: 'True', at });
    assert.equal(timeLeft(j, t0 + 4000), 6000);
    assert.equal(timeLeft(j, t0 + 12_000), -2000);
    assert.equal(timeLeft(job(10), t0), undefined);
  });
});
