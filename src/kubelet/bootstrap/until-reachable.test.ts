import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { untilReachable } from './until-reachable.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });

describe('untilReachable', () => {
  it('retries while nothing answers, backing off, then returns the result', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const result = untilReachable(
      'discovery',
      async () => {
        attempts.push(clock.now());
        if (attempts.length < 4) throw refused();
        return 'ca';
      },
      { clock, logger: silentLogger, timeoutMs: 60_000 },
    );
    for (let i = 0; i < 3; i++) {
      while (clock.pending() === 0) await new Promise((r) => setImmediate(r));
      await clock.step(clock.pending() && [1000, 2000, 4000][i]!);
    }
    assert.equal(await result, 'ca');
    assert.deepEqual(attempts.map((t) => t - attempts[0]!), [0, 1000, 3000, 7000]);
  });

  it('gives up at the deadline, and at once on any other error', async () => {
    const clock = new FakeClock();
    // the assertion is attached at once: the rejection comes while the clock is stepped
    const late = assert.rejects(untilReachable('x', async () => { throw refused(); }, { clock, logger: silentLogger, timeoutMs: 1500 }), /ECONNREFUSED/);
    while (clock.pending() === 0) await new Promise((r) => setImmediate(r));
    await clock.step(1000);
    while (clock.pending() === 0) await new Promise((r) => setImmediate(r));
    await clock.step(500);
    await late;
    let calls = 0;
    await assert.rejects(untilReachable('x', async () => { calls++; throw new Error('hash mismatch'); }, { clock, logger: silentLogger, timeoutMs: 60_000 }), /hash mismatch/);
    assert.equal(calls, 1);
  });
});
