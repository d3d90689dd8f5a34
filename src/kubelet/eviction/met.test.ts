import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThresholdTracker } from './met.js';
import { thresholdConfig } from './config.js';
import { parseEvictionHard, type Observations } from './thresholds.js';

const Mi = 2 ** 20;
const memory = (availableMi: number): Observations => ({ 'memory.available': { available: availableMi * Mi, capacity: 1024 * Mi } });
const names = (ts: readonly { signal: string; gracePeriodMs?: number }[]) => ts.map((t) => `${t.signal}${t.gracePeriodMs ? '~soft' : ''}`);

const config = (soft: string, grace: Record<string, number>, reclaim: Record<string, { quantity: number }> = {}) =>
  thresholdConfig({ hard: parseEvictionHard('memory.available<100Mi'), soft: parseEvictionHard(soft), softGracePeriods: grace, minimumReclaims: reclaim });

test('a soft threshold is observed at once but met only once crossed for its grace period; a hard one is met at once', () => {
  const { hard, soft } = config('memory.available<300Mi', { 'memory.available': 90_000 });
  const tracker = new ThresholdTracker([...hard, ...soft]);
  const t0 = 1_000_000;
  let s = tracker.update(memory(200), t0);
  assert.deepEqual(names(s.observed), ['memory.available~soft']);
  assert.deepEqual(s.met, []);
  assert.equal(tracker.observedSince(soft[0]!), t0);

  s = tracker.update(memory(200), t0 + 89_999);
  assert.deepEqual(s.met, [], 'before the grace period');
  s = tracker.update(memory(200), t0 + 90_000);
  assert.deepEqual(names(s.met), ['memory.available~soft'], 'once the grace period is over');

  s = tracker.update(memory(50), t0 + 100_000);
  assert.deepEqual(names(s.met), ['memory.available', 'memory.available~soft'], 'the hard threshold at once');
});

test('a threshold that clears is forgotten: its grace period starts over when crossed again', () => {
  const { soft } = config('memory.available<300Mi', { 'memory.available': 60_000 });
  const tracker = new ThresholdTracker(soft);
  tracker.update(memory(200), 0);
  tracker.update(memory(200), 50_000);
  const cleared = tracker.update(memory(400), 55_000);
  assert.deepEqual(cleared, { observed: [], met: [] });
  assert.equal(tracker.observedSince(soft[0]!), undefined);

  tracker.update(memory(200), 60_000);
  assert.equal(tracker.observedSince(soft[0]!), 60_000, 'first observed anew');
  assert.deepEqual(tracker.update(memory(200), 110_000).met, [], '50 s into the new grace period, though 110 s after the first crossing');
  assert.equal(tracker.update(memory(200), 120_000).met.length, 1);
});

test('a met threshold stays met until the signal recovers past threshold + minimum reclaim', () => {
  const { hard } = config('', {}, { 'memory.available': { quantity: 200 * Mi } });
  const tracker = new ThresholdTracker(hard);
  assert.equal(tracker.update(memory(50), 0).met.length, 1);
  assert.equal(tracker.update(memory(150), 10_000).met.length, 1, 'over the threshold (100Mi) but not past 100Mi + 200Mi');
  assert.equal(tracker.update(memory(299), 20_000).met.length, 1);
  assert.deepEqual(tracker.update(memory(300), 30_000), { observed: [], met: [] }, 'recovered to threshold + minimum reclaim');
  assert.deepEqual(tracker.update(memory(150), 40_000).met, [], 'the minimum reclaim applies only to a threshold already met');
});

test('a soft threshold in its grace period is not held by its minimum reclaim', () => {
  const { soft } = config('memory.available<300Mi', { 'memory.available': 60_000 }, { 'memory.available': { quantity: 500 * Mi } });
  const tracker = new ThresholdTracker(soft);
  tracker.update(memory(200), 0);
  assert.deepEqual(tracker.update(memory(350), 10_000).observed, [], 'not yet met: it clears at the threshold');
  tracker.update(memory(200), 20_000);
  assert.equal(tracker.update(memory(200), 80_000).met.length, 1);
  assert.equal(tracker.update(memory(700), 90_000).met.length, 1, 'met: held until 300Mi + 500Mi');
  assert.equal(tracker.update(memory(800), 100_000).met.length, 0);
});
