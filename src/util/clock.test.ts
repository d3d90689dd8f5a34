import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClock } from './clock.js';

it('fires timers in time order only when stepped', async () => {
  const clock = new FakeClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b@300'), 300);
  clock.setTimeout(() => fired.push('a@100'), 100);
  const every = clock.setInterval(() => fired.push(`tick@${clock.now() - 1000}`), 150);
  assert.deepEqual(fired, []);
  await clock.step(320);
  // Timers due at the same time fire in the order they were set.
  assert.deepEqual(fired, ['a@100', 'tick@150', 'b@300', 'tick@300']);
  every.cancel();
  await clock.step(1000);
  assert.equal(fired.length, 4);
  assert.equal(clock.now(), 1000 + 1320);
});

it('resolves sleep when time reaches it', async () => {
  const clock = new FakeClock(0);
  let woke = false;
  void clock.sleep(50).then(() => (woke = true));
  await clock.step(49);
  assert.equal(woke, false);
  await clock.step(1);
  assert.equal(woke, true);
});
