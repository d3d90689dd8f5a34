import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crosses, DEFAULT_EVICTION_HARD, isHard, parseEvictionHard, parseThreshold, thresholdAmount } from './thresholds.js';

test('the default --eviction-hard parses into the kubelet defaults', () => {
  const t = parseEvictionHard(DEFAULT_EVICTION_HARD);
  assert.deepEqual(
    t.map((x) => [x.signal, x.value]),
    [
      ['memory.available', { quantity: 100 * 1024 * 1024 }],
      ['nodefs.available', { percentage: 0.1 }],
      ['nodefs.inodesFree', { percentage: 0.05 }],
      ['imagefs.available', { percentage: 0.15 }],
    ],
  );
});

test('quantities and percentages; bad statements are refused', () => {
  assert.deepEqual(parseThreshold('memory.available<100Ti')?.value, { quantity: 100 * 2 ** 40 });
  assert.deepEqual(parseThreshold('pid.available<1000')?.value, { quantity: 1000 });
  assert.deepEqual(parseThreshold('nodefs.available<99.5%')?.value, { percentage: 0.995 });
  assert.equal(parseThreshold('nodefs.available<100%'), undefined, '0% and 100% are ignored');
  assert.equal(parseThreshold('nodefs.available<0%'), undefined);
  assert.deepEqual(parseEvictionHard('nodefs.available<100%,memory.available<1Gi').map((t) => t.signal), ['memory.available']);
  assert.throws(() => parseThreshold('memory.available<0'), /must be positive/);
  assert.throws(() => parseThreshold('memory.available>1Gi'), /expected signal<value/);
  assert.throws(() => parseThreshold('cpu.available<1'), /unsupported eviction signal cpu.available/);
  assert.throws(() => parseThreshold('nodefs.available<101%'), /must be <= 100%/);
  assert.throws(() => parseThreshold('nodefs.available<-1%'), /must be >= 0%/);
  assert.throws(() => parseThreshold('memory.available<lots'), /invalid eviction threshold quantity/);
  assert.throws(() => parseEvictionHard('memory.available<1Gi,memory.available<2Gi'), /duplicate/);
  assert.deepEqual(parseEvictionHard(''), []);
});

test('a threshold is crossed when less than it is available', () => {
  const pct = parseThreshold('nodefs.available<10%')!;
  assert.equal(thresholdAmount(pct.value, 1000), 100);
  assert.equal(crosses(pct, { available: 99, capacity: 1000 }), true);
  assert.equal(crosses(pct, { available: 100, capacity: 1000 }), false);
  assert.equal(crosses(pct, undefined), false);
  const mem = parseThreshold('memory.available<100Mi')!;
  assert.equal(crosses(mem, { available: 50 * 2 ** 20, capacity: 2 ** 30 }), true);
});

test('with its minimum reclaim enforced a threshold stays crossed until threshold + reclaim is available', () => {
  const t = { ...parseThreshold('nodefs.available<10%')!, minReclaim: { percentage: 0.05 } };
  assert.equal(crosses(t, { available: 120, capacity: 1000 }), false);
  assert.equal(crosses(t, { available: 120, capacity: 1000 }, true), true, '120 < 100 + 50');
  assert.equal(crosses(t, { available: 150, capacity: 1000 }, true), false);
  const plain = parseThreshold('memory.available<100')!;
  assert.equal(crosses(plain, { available: 100, capacity: 1000 }, true), false, 'no minimum reclaim: the threshold alone');
});

test('a threshold without a grace period is hard', () => {
  const t = parseThreshold('memory.available<1Gi')!;
  assert.equal(isHard(t), true);
  assert.equal(isHard({ ...t, gracePeriodMs: 0 }), true);
  assert.equal(isHard({ ...t, gracePeriodMs: 1000 }), false);
});
