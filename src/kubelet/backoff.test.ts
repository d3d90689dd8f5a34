import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { RestartBackoff, goDuration } from './backoff.js';

describe('RestartBackoff', () => {
  it('restarts at once the first time, then waits 10 s doubling to the cap', async () => {
    const clock = new FakeClock();
    const b = new RestartBackoff({ clock, initialMs: 10_000, maxMs: 40_000, resetMs: 600_000 });
    assert.equal(b.remaining('k', clock.now()), 0);
    b.next('k');
    assert.equal(b.delay('k'), 10_000);
    const finished = clock.now();
    assert.equal(b.remaining('k', finished), 10_000);
    await clock.step(4_000);
    assert.equal(b.remaining('k', finished), 6_000);
    await clock.step(6_000);
    assert.equal(b.remaining('k', finished), 0);
    b.next('k');
    b.next('k');
    b.next('k');
    assert.equal(b.delay('k'), 40_000);
  });

  it('starts over after the reset period without restarts', async () => {
    const clock = new FakeClock();
    const b = new RestartBackoff({ clock, initialMs: 10, maxMs: 1_000, resetMs: 100 });
    b.next('k');
    b.next('k');
    assert.equal(b.delay('k'), 20);
    await clock.step(101);
    assert.equal(b.remaining('k', clock.now() - 5), 0);
    b.next('k');
    assert.equal(b.delay('k'), 10);
    b.forget('k');
    assert.equal(b.delay('k'), 0);
  });

  it('formats delays like Go durations', () => {
    assert.equal(goDuration(10_000), '10s');
    assert.equal(goDuration(80_000), '1m20s');
    assert.equal(goDuration(300_000), '5m0s');
  });
});
