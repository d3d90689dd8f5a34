import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGracePeriods, parseMinimumReclaims, thresholdConfig } from './config.js';
import { parseEvictionHard } from './thresholds.js';

test('grace periods per signal; bad statements and durations are refused', () => {
  assert.deepEqual(parseGracePeriods('memory.available=1m30s, nodefs.available=2h,pid.available=0s'), {
    'memory.available': 90_000,
    'nodefs.available': 7_200_000,
    'pid.available': 0,
  });
  assert.deepEqual(parseGracePeriods(''), {});
  assert.throws(() => parseGracePeriods('memory.available=90'), /invalid eviction grace period "90" for memory.available: use a duration/);
  assert.throws(() => parseGracePeriods('memory.available=-1m'), /invalid eviction grace period "-1m" for memory.available/);
  assert.throws(() => parseGracePeriods('memory.available=soon'), /invalid eviction grace period "soon"/);
  assert.throws(() => parseGracePeriods('memory.available'), /expected signal=duration/);
  assert.throws(() => parseGracePeriods('cpu.available=1m'), /unsupported eviction signal cpu.available/);
  assert.throws(() => parseGracePeriods('memory.available=1m,memory.available=2m'), /duplicate eviction grace period for signal memory.available/);
});

test('minimum reclaims: quantities and percentages', () => {
  assert.deepEqual(parseMinimumReclaims('memory.available=0.5Gi,nodefs.available=5%,pid.available=0'), {
    'memory.available': { quantity: 512 * 2 ** 20 },
    'nodefs.available': { percentage: 0.05 },
    'pid.available': { quantity: 0 },
  });
  assert.throws(() => parseMinimumReclaims('nodefs.available=0%'), /eviction percentage minimum reclaim nodefs.available must be positive: 0%/);
  assert.throws(() => parseMinimumReclaims('memory.available=-1Mi'), /negative eviction minimum reclaim specified for memory.available/);
  assert.throws(() => parseMinimumReclaims('memory.available=lots'), /invalid eviction minimum reclaim quantity "lots"/);
  assert.throws(() => parseMinimumReclaims('nodefs.available=x%'), /invalid eviction minimum reclaim percentage/);
  assert.throws(() => parseMinimumReclaims('memory.available<1Gi'), /expected signal=quantity or signal=percent/);
});

test('soft thresholds take their grace period, every threshold its minimum reclaim; a soft threshold without a grace period is refused', () => {
  const { hard, soft } = thresholdConfig({
    hard: parseEvictionHard('memory.available<100Mi,nodefs.available<10%'),
    soft: parseEvictionHard('memory.available<1Gi'),
    softGracePeriods: { 'memory.available': 90_000, 'nodefs.available': 60_000 },
    minimumReclaims: { 'memory.available': { quantity: 2 ** 20 } },
  });
  assert.deepEqual(
    hard.map((t) => [t.signal, t.gracePeriodMs, t.minReclaim]),
    [
      ['memory.available', undefined, { quantity: 2 ** 20 }],
      ['nodefs.available', undefined, undefined],
    ],
  );
  assert.deepEqual(
    soft.map((t) => [t.signal, t.gracePeriodMs, t.minReclaim]),
    [['memory.available', 90_000, { quantity: 2 ** 20 }]],
  );
  assert.throws(
    () => thresholdConfig({ hard: [], soft: parseEvictionHard('memory.available<1Gi,nodefs.available<20%'), softGracePeriods: { 'memory.available': 1000 } }),
    /grace period must be specified for the soft eviction threshold nodefs.available/,
  );
});
