import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EventQueue } from './watch-stream.js';

it('delivers pushed events in order to a waiting or later consumer', async () => {
  const q = new EventQueue<number>();
  const first = q[Symbol.asyncIterator]().next();
  q.push(1);
  q.push(2);
  q.push(3);
  assert.deepEqual(await first, { value: 1, done: false });
  q.end();
  const rest: number[] = [];
  for await (const n of q) rest.push(n);
  assert.deepEqual(rest, [2, 3]);
});

it('ends with the error after the buffered events, and calls onStop once', async () => {
  let stops = 0;
  const q = new EventQueue<number>(() => stops++);
  q.push(1);
  q.end(new Error('expired'));
  q.end(new Error('again'));
  q.push(2);
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const n of q) seen.push(n);
  }, /expired/);
  assert.deepEqual(seen, [1]);
  assert.equal(stops, 1);
});

it('stops when the consumer breaks out of the loop', async () => {
  let stopped = false;
  const q = new EventQueue<number>(() => (stopped = true));
  q.push(1);
  for await (const _ of q) break;
  assert.ok(stopped);
  assert.ok(q.closed);
});
