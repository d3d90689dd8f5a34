import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EventRing } from './event-ring.js';

const ev = (revision: number) => ({ revision });

it('keeps the newest `capacity` events and returns each evicted one', () => {
  const ring = new EventRing<{ revision: number }>(3);
  assert.equal(ring.push(ev(1)), undefined);
  ring.push(ev(2));
  ring.push(ev(4));
  assert.deepEqual(ring.push(ev(7)), ev(1));
  assert.deepEqual(ring.push(ev(9)), ev(2));
  assert.equal(ring.length, 3);
  assert.deepEqual([...ring.after(0)].map((e) => e.revision), [4, 7, 9]);
});

it('finds where a watch from revision N starts, across the wrap-around', () => {
  const ring = new EventRing<{ revision: number }>(4);
  for (const r of [1, 3, 5, 7, 9, 11]) ring.push(ev(r));
  assert.deepEqual([...ring.after(5)].map((e) => e.revision), [7, 9, 11]);
  assert.deepEqual([...ring.after(6)].map((e) => e.revision), [7, 9, 11]);
  assert.deepEqual([...ring.after(11)], []);
  assert.equal(ring.firstAfter(0), 0);
  ring.clear();
  assert.equal(ring.length, 0);
  assert.deepEqual([...ring.after(0)], []);
});

it('refuses a capacity below one', () => {
  assert.throws(() => new EventRing(0), RangeError);
});
