import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiter.js';
import { TokenBucket } from '../../util/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, then refills at qps up to burst', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, 3, clock);
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), false);
    await clock.step(99);
    assert.equal(b.tryAccept(), false);
    await clock.step(1);
    assert.equal(b.tryAccept(), true);
    await clock.step(60_000);
    assert.equal(b.available(), 3, 'capped at burst');
  });

  it('reserve() goes into debt and reports the wait', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, 2, clock);
    assert.equal(b.reserve(), 0);
    assert.equal(b.reserve(), 0);
    assert.equal(b.reserve(), 100);
    assert.equal(b.reserve(), 200);
    assert.equal(b.tryAccept(), false);
    await clock.step(200);
    assert.equal(b.reserve(), 100, 'the debt is paid off first');
  });

  it('rejects nonsense parameters', () => {
    const clock = new FakeClock();
    assert.throws(() => new TokenBucket(0, 1, clock));
    assert.throws(() => new TokenBucket(1, 0, clock));
  });
});

describe('rate limiters', () => {
  it('per-item exponential backoff doubles from the base to the cap, per item', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000 * 1000);
    const seen = Array.from({ length: 6 }, () => rl.when('a'));
    assert.deepEqual(seen, [5, 10, 20, 40, 80, 160]);
    assert.equal(rl.numRequeues('a'), 6);
    assert.equal(rl.when('b'), 5, 'items back off independently');
    for (let i = 0; i < 30; i++) rl.when('a');
    assert.equal(rl.when('a'), 1000 * 1000, 'capped at 1000 s');
    for (let i = 0; i < 2000; i++) rl.when('a');
    assert.equal(rl.when('a'), 1000 * 1000, 'no overflow after many failures');
    rl.forget('a');
    assert.equal(rl.numRequeues('a'), 0);
    assert.equal(rl.when('a'), 5);
  });

  it('fast/slow limiter switches after maxFastAttempts', () => {
    const rl = new ItemFastSlowRateLimiter<string>(5, 10_000, 2);
    assert.deepEqual([rl.when('a'), rl.when('a'), rl.when('a')], [5, 5, 10_000]);
    rl.forget('a');
    assert.equal(rl.when('a'), 5);
  });

  it('bucket limiter spaces items out once the burst is spent', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) assert.equal(rl.when(`k${i}`), 0);
    assert.equal(rl.when('x'), 100);
    assert.equal(rl.when('y'), 200);
    assert.equal(rl.numRequeues('x'), 0);
  });

  it('max-of takes the longest wait and records the failure in every limiter', () => {
    const a = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    const b = new ItemFastSlowRateLimiter<string>(3, 100, 1);
    const rl = new MaxOfRateLimiter(a, b);
    assert.equal(rl.when('k'), 3);
    assert.equal(rl.when('k'), 100);
    assert.equal(a.numRequeues('k'), 2);
    assert.equal(rl.numRequeues('k'), 2);
    rl.forget('k');
    assert.equal(a.numRequeues('k'), 0);
    assert.equal(b.numRequeues('k'), 0);
  });

  it('the default controller limiter: per-item backoff, and the overall 10 qps bucket after a burst of 100', async () => {
    const clock = new FakeClock();
    const rl = defaultControllerRateLimiter<string>(clock);
    assert.deepEqual([rl.when('one'), rl.when('one'), rl.when('one')], [5, 10, 20]);
    // 97 more distinct items use up the burst of 100 tokens without waiting beyond their backoff.
    for (let i = 0; i < 97; i++) assert.equal(rl.when(`item-${i}`), 5);
    // The bucket is empty: the 101st failure waits 100 ms (10 qps), the next 200 ms, …
    assert.equal(rl.when('fresh-1'), 100);
    assert.equal(rl.when('fresh-2'), 200);
    await clock.step(60_000);
    assert.equal(rl.when('fresh-3'), 5, 'refilled');
    // The per-item backoff dominates once it exceeds the bucket's wait.
    for (let i = 0; i < 15; i++) rl.when('slow');
    assert.equal(rl.when('slow'), 5 * 2 ** 15);
  });
});
