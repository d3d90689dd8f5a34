import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowStartBatch } from './pod-control.js';

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, … and stops after the first failing batch', async () => {
    let calls = 0;
    const r = await slowStartBatch(20, 1, async () => {
      calls++;
      if (calls === 5) throw new Error('quota');
    });
    // batches 1, 2, then 4 (the 5th call fails within it): 7 calls, 6 successes.
    assert.equal(calls, 7);
    assert.equal(r.successes, 6);
    assert.match(String(r.error), /quota/);
  });

  it('does everything when nothing fails', async () => {
    let calls = 0;
    const r = await slowStartBatch(10, 1, async () => void calls++);
    assert.equal(calls, 10);
    assert.deepEqual(r, { successes: 10 });
  });
});
