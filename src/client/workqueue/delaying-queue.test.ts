import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { recordingMetricsProvider } from './test-support.js';

describe('DelayingQueue', () => {
  it('adds an item once its delay has passed on the clock', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 50);
    assert.equal(q.len(), 0);
    assert.equal(q.waitingLen(), 1);
    await clock.step(49);
    assert.equal(q.len(), 0);
    await clock.step(1);
    assert.equal(q.len(), 1);
    assert.equal(q.waitingLen(), 0);
    assert.equal(await q.get(), 'a');
  });

  it('adds at once when the delay is zero or negative', () => {
    const q = new DelayingQueue<string>({ clock: new FakeClock() });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    assert.equal(q.len(), 2);
  });

  it('releases items in ready-time order, ties in arrival order', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('c', 300);
    q.addAfter('a', 100);
    q.addAfter('b', 200);
    q.addAfter('b2', 200);
    q.addAfter('d', 1000);
    await clock.step(250);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'b2']);
    await clock.step(100);
    assert.equal(await q.get(), 'c');
    assert.equal(q.len(), 0);
    await clock.step(650);
    assert.equal(await q.get(), 'd');
  });

  it('keeps the earlier ready time when an item is added again while waiting', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 100); // earlier: moves up
    q.addAfter('a', 5000); // later: ignored
    assert.equal(q.waitingLen(), 1);
    await clock.step(100);
    assert.equal(q.len(), 1);
    await clock.step(10_000);
    assert.equal(q.len(), 1, 'added once only');
  });

  it('a delayed add of an item already queued collapses with it', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.add('a');
    q.addAfter('a', 10);
    await clock.step(10);
    assert.equal(q.len(), 1);
  });

  it('uses one clock timer at a time', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    for (let i = 0; i < 100; i++) q.addAfter(`k${i}`, 1000 - i);
    assert.ok(clock.pending() <= 2, `pending timers: ${clock.pending()}`);
    await clock.step(1000);
    assert.equal(q.len(), 100);
    assert.equal(clock.pending(), 0);
  });

  it('drops waiting items and timers on shutdown, and ignores later delayed adds', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.shutDown();
    assert.equal(clock.pending(), 0);
    q.addAfter('b', 10);
    await clock.step(1000);
    assert.equal(q.len(), 0);
    assert.equal(await q.get(), undefined);
  });

  it('counts delayed adds as retries', () => {
    const clock = new FakeClock();
    const { provider, metrics } = recordingMetricsProvider();
    const q = new DelayingQueue<string>({ clock, name: 'd', metricsProvider: provider });
    q.addAfter('a', 10);
    q.addAfter('b', 0);
    assert.equal(metrics.get('d')!.retries, 2);
    q.shutDown();
  });
});
