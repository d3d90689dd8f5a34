import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { PressureTracker } from './pressure.js';
import { parseEvictionHard } from './thresholds.js';
import { thresholdConfig } from './config.js';

const GiB = 2 ** 30;
const thresholds = parseEvictionHard('memory.available<100Mi,nodefs.available<10%,pid.available<100');
const healthy = {
  'memory.available': { available: 4 * GiB, capacity: 8 * GiB },
  'nodefs.available': { available: 50 * GiB, capacity: 100 * GiB },
  'pid.available': { available: 30_000, capacity: 32_768 },
};

test('a crossed threshold turns its condition on; it stays on for the transition period after the signal clears', async () => {
  const clock = new FakeClock();
  const tracker = new PressureTracker(thresholds, clock, 5 * 60_000);
  assert.deepEqual([...tracker.update(healthy).conditions], []);

  const low = tracker.update({ ...healthy, 'nodefs.available': { available: 5 * GiB, capacity: 100 * GiB } });
  assert.deepEqual([...low.conditions], ['DiskPressure']);
  assert.deepEqual(low.met.map((t) => t.signal), ['nodefs.available']);

  await clock.step(60_000);
  const cleared = tracker.update(healthy);
  assert.deepEqual(cleared.met, []);
  assert.deepEqual([...cleared.conditions], ['DiskPressure'], 'still within the transition period');

  await clock.step(4 * 60_000 - 1);
  assert.deepEqual([...tracker.update(healthy).conditions], ['DiskPressure']);
  await clock.step(1);
  assert.deepEqual([...tracker.update(healthy).conditions], [], 'five minutes after it was last observed');
});

test('each signal maps to its condition; a zero transition period follows the signal', () => {
  const clock = new FakeClock();
  const tracker = new PressureTracker(thresholds, clock, 0);
  const state = tracker.update({
    'memory.available': { available: 10 * 2 ** 20, capacity: 8 * GiB },
    'nodefs.available': { available: 50 * GiB, capacity: 100 * GiB },
    'pid.available': { available: 50, capacity: 32_768 },
  });
  assert.deepEqual([...state.conditions].sort(), ['MemoryPressure', 'PIDPressure']);
  assert.deepEqual([...tracker.update(healthy).conditions], []);
});

test('a soft threshold turns its condition on when first observed crossed, before its grace period; eviction waits for it', async () => {
  const clock = new FakeClock();
  const { soft } = thresholdConfig({ hard: [], soft: parseEvictionHard('memory.available<1Gi'), softGracePeriods: { 'memory.available': 60_000 } });
  const tracker = new PressureTracker(soft, clock, 0);
  const low = { ...healthy, 'memory.available': { available: GiB / 2, capacity: 8 * GiB } };
  const first = tracker.update(low);
  assert.deepEqual([...first.conditions], ['MemoryPressure']);
  assert.deepEqual(first.met, []);
  assert.deepEqual(first.observed.map((t) => t.signal), ['memory.available']);
  await clock.step(60_000);
  assert.deepEqual(tracker.update(low).met.map((t) => t.signal), ['memory.available']);
  assert.deepEqual([...tracker.update(healthy).conditions], []);
});
