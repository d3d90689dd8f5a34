import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailedPodBackoff } from './failed-pod-backoff.js';

describe('FailedPodBackoff', () => {
  it('lets the first failure act at once, then doubles the wait up to the maximum, and forgets idle keys', () => {
    const b = new FailedPodBackoff(1000, 4000);
    assert.equal(b.remaining('ds/n1', 0), 0);
    b.next('ds/n1', 0);
    assert.equal(b.remaining('ds/n1', 400), 600);
    assert.equal(b.remaining('ds/n1', 1000), 0);
    b.next('ds/n1', 1000);
    assert.equal(b.remaining('ds/n1', 1000), 2000);
    b.next('ds/n1', 3000);
    b.next('ds/n1', 7000);
    assert.equal(b.remaining('ds/n1', 7000), 4000, 'capped');
    assert.equal(b.remaining('ds/n2', 7000), 0, 'per key');
    b.next('ds/n1', 7000 + 8001);
    assert.equal(b.remaining('ds/n1', 15001), 1000, 'idle for twice the maximum: back to the start');
  });
});
