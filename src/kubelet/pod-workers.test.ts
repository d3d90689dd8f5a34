import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { PodWorkers } from './pod-workers.js';

describe('PodWorkers', () => {
  it('runs one sync per pod at a time and coalesces updates that arrive meanwhile', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    const runs: string[] = [];
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const workers = new PodWorkers(
      async (uid) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        runs.push(uid);
        await gate;
        inFlight--;
      },
      clock,
      silentLogger,
    );
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('b');
    assert.equal(maxInFlight, 2);
    gate = Promise.resolve();
    release();
    await workers.idle();
    assert.deepEqual(runs.filter((r) => r === 'a').length, 2, 'the three updates became two syncs');
    assert.deepEqual(runs.filter((r) => r === 'b').length, 1);
  });

  it('requeues after a delay, keeping the earliest', async () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    const workers = new PodWorkers(async () => void runs.push(clock.now()), clock, silentLogger);
    const t0 = clock.now();
    workers.enqueueAfter('a', 5_000);
    workers.enqueueAfter('a', 1_000);
    workers.enqueueAfter('a', 3_000);
    await clock.step(10_000);
    await workers.idle();
    assert.deepEqual(runs, [t0 + 1_000]);
    await workers.stop();
  });
});
