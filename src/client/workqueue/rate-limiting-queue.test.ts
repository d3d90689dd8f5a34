import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { recordingMetricsProvider } from './test-support.js';

/** Lets pending promise continuations run (and register their timers), then steps the clock. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await clock.step(ms);
}

describe('RateLimitingQueue', () => {
  it('re-adds failed items after a growing backoff; forget() resets it', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    const readyTimes: number[] = [];
    const start = clock.now();
    q.add('k');
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = q.get();
      // Step in 1 ms increments until the item shows up.
      while (q.len() === 0 && !q.isProcessing('k')) await clock.step(1);
      assert.equal(await key, 'k');
      readyTimes.push(clock.now() - start);
      q.addRateLimited('k');
      q.done('k');
    }
    assert.equal(q.numRequeues('k'), 5);
    // Delays between consecutive tries: 5, 10, 20, 40 ms.
    const gaps = readyTimes.slice(1).map((t, i) => t - readyTimes[i]!);
    assert.deepEqual(gaps, [5, 10, 20, 40]);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.addRateLimited('k');
    await clock.step(4);
    assert.equal(q.len(), 0);
    await clock.step(1);
    assert.equal(q.len(), 1);
    q.shutDown();
  });

  it('the overall token bucket throttles many failing items to 10 per second after a burst of 100', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    for (let i = 0; i < 150; i++) q.addRateLimited(`k${i}`);
    await clock.step(5);
    assert.equal(q.len(), 100, 'the burst goes through after the 5 ms base delay');
    await clock.step(1000);
    assert.equal(q.len(), 110, '10 more a second');
    await clock.step(4000);
    assert.equal(q.len(), 150);
    q.shutDown();
  });

  it('takes a custom rate limiter and counts retries', async () => {
    const clock = new FakeClock();
    const { provider, metrics } = recordingMetricsProvider();
    const q = new RateLimitingQueue<string>({ clock, name: 'r', metricsProvider: provider, rateLimiter: new ItemExponentialFailureRateLimiter(1000, 4000) });
    q.addRateLimited('a');
    q.addRateLimited('a');
    assert.equal(metrics.get('r')!.retries, 2);
    await clock.step(999);
    assert.equal(q.len(), 0);
    await clock.step(1);
    assert.equal(q.len(), 1, 'the earlier of the two ready times wins');
    q.shutDown();
  });

  it('workers draining the queue with retries: shutDownWithDrain waits for the one in flight', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    const processed: string[] = [];
    const failuresLeft = new Map([['flaky', 3]]);
    const worker = async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        await clock.sleep(10);
        const left = failuresLeft.get(key) ?? 0;
        if (left > 0) {
          failuresLeft.set(key, left - 1);
          q.addRateLimited(key);
        } else {
          q.forget(key);
          processed.push(key);
        }
        q.done(key);
      }
    };
    const workers = [worker(), worker()];
    q.add('flaky');
    q.add('steady');
    await advance(clock, 1000);
    assert.deepEqual(processed.sort(), ['flaky', 'steady']);
    assert.equal(q.numRequeues('flaky'), 0);
    q.add('last');
    await advance(clock, 1); // a worker takes it and sleeps 10 ms
    assert.ok(q.isProcessing('last'));
    const drained = q.shutDownWithDrain();
    let done = false;
    void drained.then(() => (done = true));
    await clock.step(5);
    assert.equal(done, false);
    await clock.step(5);
    await drained;
    assert.ok(processed.includes('last'));
    await Promise.all(workers);
  });
});
