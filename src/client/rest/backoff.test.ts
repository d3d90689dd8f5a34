import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Backoff } from './backoff.js';

it('doubles from initial up to max, and resets', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  assert.equal(b.attempts, 6);
  b.reset();
  assert.equal(b.next(), 100);
});

it('adds jitter from the injected randomness', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 1 });
  assert.equal(b.next(), 150);
  assert.equal(b.next(), 300);
  const low = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
  assert.equal(low.next(), 100);
});
