import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { Queue } from './queue.js';
import { recordingMetricsProvider } from './test-support.js';

/** Whether a promise has settled, after letting pending microtasks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('Queue', () => {
  it('hands items out in FIFO order and collapses repeated adds', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('c');
    q.add('b');
    assert.equal(q.len(), 3);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), 'c');
    assert.equal(q.len(), 0);
  });

  it('re-queues an item added while it is processed only after done()', async () => {
    const q = new Queue<string>();
    q.add('a');
    assert.equal(await q.get(), 'a');
    assert.ok(q.isProcessing('a'));
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'not handed out again while processing');
    const next = q.get();
    assert.equal(await settled(next), false, 'a second worker does not get a');
    q.done('a');
    assert.equal(await next, 'a');
    q.done('a');
    assert.equal(q.len(), 0);
    assert.equal(q.isProcessing('a'), false);
  });

  it('an item added while processed goes to the back of the line', async () => {
    const q = new Queue<string>();
    q.add('a');
    await q.get();
    q.add('b');
    q.add('a');
    q.done('a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), 'a');
  });

  it('blocked get() resolves on add, oldest waiter first', async () => {
    const q = new Queue<string>();
    const w1 = q.get();
    const w2 = q.get();
    assert.equal(await settled(w1), false);
    q.add('x');
    assert.equal(await w1, 'x');
    assert.equal(await settled(w2), false);
    q.add('y');
    assert.equal(await w2, 'y');
  });

  it('never gives one key to two workers, and never loses an add', async () => {
    const clock = new FakeClock();
    const q = new Queue<string>({ clock });
    const keys = ['k0', 'k1', 'k2', 'k3'];
    const active = new Map<string, number>();
    let maxConcurrentPerKey = 0;
    let maxConcurrentTotal = 0;
    let running = 0;
    const lastAdd = new Map<string, number>();
    const lastStart = new Map<string, number>();
    let seq = 0;
    let step = 0;
    const rnd = (() => {
      let s = 42;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    })();

    const worker = async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        lastStart.set(key, seq++);
        active.set(key, (active.get(key) ?? 0) + 1);
        running++;
        maxConcurrentPerKey = Math.max(maxConcurrentPerKey, active.get(key)!);
        maxConcurrentTotal = Math.max(maxConcurrentTotal, running);
        await clock.sleep(1 + Math.floor(rnd() * 20));
        active.set(key, active.get(key)! - 1);
        running--;
        q.done(key);
      }
    };
    const workers = Array.from({ length: 5 }, () => worker());
    for (step = 0; step < 400; step++) {
      const key = keys[Math.floor(rnd() * keys.length)]!;
      lastAdd.set(key, seq++);
      q.add(key);
      await clock.step(Math.floor(rnd() * 5));
    }
    await clock.step(10_000);
    q.shutDown();
    await Promise.all(workers);
    assert.equal(maxConcurrentPerKey, 1, 'a key was processed by two workers at once');
    assert.ok(maxConcurrentTotal > 1, 'workers ran in parallel');
    for (const key of keys) {
      // Every add was followed by a processing that started after it.
      assert.ok(lastStart.get(key)! > lastAdd.get(key)!, `last add of ${key} was not processed`);
    }
  });

  it('shutDown wakes blocked workers; queued items are still handed out, new adds ignored', async () => {
    const q = new Queue<string>();
    const blocked = q.get();
    q.shutDown();
    assert.equal(await blocked, undefined);
    assert.equal(q.shuttingDown(), true);

    const q2 = new Queue<string>();
    q2.add('a');
    q2.add('b');
    q2.shutDown();
    q2.add('c');
    assert.equal(await q2.get(), 'a');
    assert.equal(await q2.get(), 'b');
    assert.equal(await q2.get(), undefined);
  });

  it('shutDownWithDrain waits for every item in flight to be done', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    const a = (await q.get())!;
    const b = (await q.get())!;
    const drained = q.shutDownWithDrain();
    assert.equal(await settled(drained), false);
    q.add('c'); // ignored: shutting down
    q.done(a);
    assert.equal(await settled(drained), false, 'b still in flight');
    q.done(b);
    assert.equal(await settled(drained), true);
    assert.equal(await q.get(), undefined);
  });

  it('shutDownWithDrain returns at once when nothing is in flight', async () => {
    const q = new Queue<string>();
    await q.shutDownWithDrain();
    assert.equal(await q.get(), undefined);
  });

  it('shutDown after shutDownWithDrain stops waiting for the drain', async () => {
    const q = new Queue<string>();
    q.add('a');
    await q.get();
    const drained = q.shutDownWithDrain();
    assert.equal(await settled(drained), false);
    q.shutDown();
    assert.equal(await settled(drained), true);
  });

  it('reports depth, adds, queue latency, work duration and unfinished work', async () => {
    const clock = new FakeClock();
    const { provider, metrics } = recordingMetricsProvider();
    const q = new Queue<string>({ clock, name: 'test', metricsProvider: provider });
    const m = metrics.get('test')!;
    q.add('a');
    q.add('a'); // collapsed: no second add
    q.add('b');
    assert.equal(m.depth, 2);
    assert.equal(m.adds, 2);
    await clock.step(300);
    const a = (await q.get())!;
    assert.equal(m.depth, 1);
    assert.deepEqual(m.latency, [0.3]);
    await clock.step(1000);
    assert.ok(m.unfinishedWorkSeconds >= 0.5 && m.unfinishedWorkSeconds <= 1, `unfinished ${m.unfinishedWorkSeconds}`);
    assert.equal(m.longestRunningProcessorSeconds, m.unfinishedWorkSeconds);
    q.done(a);
    assert.deepEqual(m.workDuration, [1]);
    q.shutDown();
    assert.equal(clock.pending(), 0, 'the metrics ticker stops on shutdown');
  });

  it('sets no timers without a metrics provider', () => {
    const clock = new FakeClock();
    const q = new Queue<string>({ clock });
    q.add('a');
    assert.equal(clock.pending(), 0);
  });
});
