// The NoExecute taint manager on a fake clock: immediate eviction without a toleration, the
// smallest tolerationSeconds honoured from when the pod was first seen tainted, cancellation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { NoExecuteTaintManager, minTolerationSeconds } from './taint-manager.js';

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const tol = (seconds?: number, key = UNREACHABLE.key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

function setup() {
  const clock = new FakeClock();
  const evicted: { key: string; at: number }[] = [];
  const events: string[] = [];
  const manager = new NoExecuteTaintManager({
    clock,
    evict: async (key) => {
      evicted.push({ key, at: clock.now() });
    },
    event: (_, message) => events.push(message),
  });
  return { clock, evicted, events, manager, start: clock.now() };
}

describe('NoExecuteTaintManager', () => {
  it('evicts at once a pod that does not tolerate the taint', async () => {
    const { clock, evicted, events, manager } = setup();
    manager.processPod('ns/a', [], [UNREACHABLE]);
    await clock.step(0);
    assert.deepEqual(evicted.map((e) => e.key), ['ns/a']);
    assert.deepEqual(events, ['Marking for deletion Pod ns/a']);
  });

  it('honours the smallest tolerationSeconds, counted from the first time the pod was seen tainted', async () => {
    const { clock, evicted, manager, start } = setup();
    manager.processPod('ns/a', [tol(5), tol(2, '')], [UNREACHABLE]);
    await clock.step(1000);
    manager.processPod('ns/a', [tol(5), tol(2, '')], [UNREACHABLE]); // seen again: the countdown is not restarted
    await clock.step(900);
    assert.equal(evicted.length, 0);
    await clock.step(100);
    assert.deepEqual(evicted, [{ key: 'ns/a', at: start + 2000 }]);
  });

  it('keeps a pod whose tolerations have no tolerationSeconds, and cancels when the taint goes', async () => {
    const { clock, evicted, events, manager } = setup();
    manager.processPod('ns/forever', [tol()], [UNREACHABLE]);
    manager.processPod('ns/b', [tol(3)], [UNREACHABLE]);
    assert.ok(manager.scheduledAt('ns/b'));
    assert.equal(manager.scheduledAt('ns/forever'), undefined);
    await clock.step(1000);
    manager.processPod('ns/b', [tol(3)], []);
    await clock.step(10_000);
    assert.equal(evicted.length, 0);
    assert.deepEqual(events, ['Cancelling deletion of Pod ns/b']);
  });

  it('minTolerationSeconds: -1 for forever, negatives count as 0', () => {
    assert.equal(minTolerationSeconds([tol()]), -1);
    assert.equal(minTolerationSeconds([tol(), tol(7), tol(3)]), 3);
    assert.equal(minTolerationSeconds([tol(-4)]), 0);
  });
});
