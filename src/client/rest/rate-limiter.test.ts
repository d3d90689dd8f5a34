import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { TokenBucketRateLimiter, rateLimiterFor, unlimitedRateLimiter } from './rate-limiter.js';

it('lets a burst through at once, then one request per 1/qps', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 5, burst: 10, clock });
  const done: number[] = [];
  const waits = Array.from({ length: 13 }, (_, i) => limiter.wait().then(() => done.push(i)));
  await new Promise((r) => setImmediate(r));
  assert.equal(done.length, 10, 'the burst passes without waiting');
  await clock.step(199);
  assert.equal(done.length, 10);
  await clock.step(1);
  assert.deepEqual(done.slice(10), [10], 'the 11th waits 200 ms (qps 5)');
  await clock.step(400);
  await Promise.all(waits);
  assert.deepEqual(done, [...Array(13).keys()], 'in arrival order');
});

it('refills up to burst while idle and tryAccept never waits', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 10, burst: 3, clock });
  assert.equal(limiter.tryAccept(), true);
  assert.equal(limiter.tryAccept(), true);
  assert.equal(limiter.tryAccept(), true);
  assert.equal(limiter.tryAccept(), false);
  await clock.step(100);
  assert.equal(limiter.tryAccept(), true);
  await clock.step(60_000);
  assert.equal(limiter.available(), 3, 'never more than burst');
});

it('gives the token back when a wait is aborted', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 1, burst: 1, clock });
  await limiter.wait();
  const ac = new AbortController();
  const waiting = limiter.wait(ac.signal);
  ac.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(limiter.available(), 0);
  assert.equal(clock.pending(), 0, 'the timer was cancelled');
});

it('qps <= 0 means no limit', async () => {
  const clock = new FakeClock(0);
  assert.equal(rateLimiterFor(0, 10, clock), unlimitedRateLimiter);
  assert.equal(rateLimiterFor(-1, 10, clock).tryAccept(), true);
  assert.ok(rateLimiterFor(5, 10, clock) instanceof TokenBucketRateLimiter);
});
