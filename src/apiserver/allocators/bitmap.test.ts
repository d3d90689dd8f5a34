import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllocationBitmap } from './bitmap.js';

/** A deterministic random source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('allocate, has, release and count', () => {
  const b = new AllocationBitmap(20);
  assert.equal(b.free, 20);
  assert.equal(b.allocate(3), true);
  assert.equal(b.allocate(3), false, 'twice');
  assert.equal(b.has(3), true);
  assert.equal(b.allocate(19), true);
  assert.equal(b.allocate(20), false, 'outside the range');
  assert.equal(b.allocate(-1), false);
  assert.equal(b.count, 2);
  assert.equal(b.release(3), true);
  assert.equal(b.release(3), false, 'not taken');
  assert.equal(b.has(3), false);
  assert.equal(b.count, 1);
});

test('allocateNext hands out every item exactly once, then reports full', () => {
  const b = new AllocationBitmap(1000, 62);
  const random = seeded(1);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const o = b.allocateNext(random);
    assert.ok(o !== undefined && o >= 0 && o < 1000);
    assert.ok(!seen.has(o), `offset ${o} handed out twice`);
    seen.add(o);
  }
  assert.equal(b.allocateNext(random), undefined);
  assert.equal(b.free, 0);
  b.release(500);
  assert.equal(b.allocateNext(random), 500);
});

test('allocateNext prefers the upper part and uses the static band only when it is full', () => {
  const b = new AllocationBitmap(100, 20);
  const random = seeded(7);
  for (let i = 0; i < 80; i++) assert.ok((b.allocateNext(random) as number) >= 20);
  for (let i = 0; i < 20; i++) assert.ok((b.allocateNext(random) as number) < 20);
  assert.equal(b.allocateNext(random), undefined);
});

test('allocateNext starts at the random point and wraps', () => {
  const b = new AllocationBitmap(16);
  assert.equal(b.allocateNext(() => 0.5), 8);
  assert.equal(b.allocateNext(() => 0.5), 9);
  for (let i = 10; i < 16; i++) b.allocate(i);
  assert.equal(b.allocateNext(() => 0.5), 0, 'wrapped to the start');
  assert.equal(b.allocateNext(() => 0.999999), 1);
});

test('allocateNext skips excluded offsets', () => {
  const b = new AllocationBitmap(4);
  const got = [0, 1, 2].map(() => b.allocateNext(() => 0, (o) => o === 0));
  assert.deepEqual(got, [1, 2, 3]);
  assert.equal(b.allocateNext(() => 0, (o) => o === 0), undefined);
  assert.equal(b.allocate(0), true, 'an excluded offset can still be taken by name');
});

test('allocateNext skips whole taken bytes without skipping free bits', () => {
  const b = new AllocationBitmap(64);
  for (let i = 0; i < 64; i++) if (i !== 45) b.allocate(i);
  assert.equal(b.allocateNext(() => 0), 45);
  const c = new AllocationBitmap(70, 3);
  for (let i = 3; i < 70; i++) if (i !== 5) c.allocate(i);
  assert.equal(c.allocateNext(() => 0.99), 5);
});

test('toBytes round-trips and trims trailing zeros; forEach lists taken offsets', () => {
  const b = new AllocationBitmap(1 << 20, 256);
  for (const o of [0, 7, 8, 1000, 65535, 1048575]) b.allocate(o);
  const bytes = b.toBytes();
  assert.equal(bytes.length, 1 << 17);
  const c = new AllocationBitmap(1 << 20, 256, bytes);
  assert.equal(c.count, 6);
  const seen: number[] = [];
  c.forEach((o) => seen.push(o));
  assert.deepEqual(seen, [0, 7, 8, 1000, 65535, 1048575]);
  const small = new AllocationBitmap(100);
  small.allocate(2);
  assert.deepEqual([...small.toBytes()], [4]);
  assert.equal(new AllocationBitmap(100).toBytes().length, 0);
});

test('a snapshot of a larger range loses the bits past the end', () => {
  const b = new AllocationBitmap(16);
  b.allocate(3);
  b.allocate(12);
  const c = new AllocationBitmap(10, 0, b.toBytes());
  assert.equal(c.count, 1);
  assert.equal(c.has(3), true);
});
