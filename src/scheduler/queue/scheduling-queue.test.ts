import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { makePod } from '../testing/wrappers.js';
import { ClusterEvent, SchedulingQueue } from './scheduling-queue.js';

function newQueue() {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  return { clock, q };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then arrival', async () => {
    const { clock, q } = newQueue();
    q.add(makePod({ name: 'low', priority: 1 }));
    await clock.step(1);
    q.add(makePod({ name: 'high-late', priority: 10 }));
    await clock.step(1);
    q.add(makePod({ name: 'low-late', priority: 1 }));
    q.add(makePod({ name: 'high', priority: 10 }));
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.pod.metadata!.name!);
    assert.deepEqual(order, ['high-late', 'high', 'low', 'low-late']);
  });

  it('pop waits for a pod and returns undefined when closed', async () => {
    const { q } = newQueue();
    const p = q.pop();
    q.add(makePod({ name: 'a' }));
    assert.equal((await p)!.pod.metadata!.name, 'a');
    const waiting = q.pop();
    q.close();
    assert.equal(await waiting, undefined);
  });

  it('parks unschedulable pods until a cluster event moves them (after their backoff)', async () => {
    const { clock, q } = newQueue();
    q.add(makePod({ name: 'a' }));
    const info = (await q.pop())!;
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle);
    assert.deepEqual(q.pending(), { active: 0, backoff: 0, unschedulable: 1 });
    // Still backing off (1 s after the first attempt): goes to backoffQ.
    q.moveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd);
    assert.deepEqual(q.pending(), { active: 0, backoff: 1, unschedulable: 0 });
    await clock.step(999);
    q.flushBackoffQCompleted();
    assert.equal(q.pending().active, 0);
    await clock.step(1);
    q.flushBackoffQCompleted();
    assert.equal(q.pending().active, 1);
  });

  it('moves straight to activeQ once the backoff is over', async () => {
    const { clock, q } = newQueue();
    q.add(makePod({ name: 'a' }));
    const info = (await q.pop())!;
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle);
    await clock.step(5000);
    q.moveAllToActiveOrBackoffQueue(ClusterEvent.NodeUpdate);
    assert.deepEqual(q.pending(), { active: 1, backoff: 0, unschedulable: 0 });
  });

  it('backs off 1 s doubling to 10 s per attempt', () => {
    const { q } = newQueue();
    const info = { pod: makePod(), key: 'k', timestamp: 0, initialAttemptTimestamp: 0, attempts: 0, unschedulablePlugins: new Set<string>() };
    const got = [1, 2, 3, 4, 5, 6, 10].map((attempts) => q.backoffDurationMs({ ...info, attempts }));
    assert.deepEqual(got, [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('a move request during the cycle sends the failed pod to backoffQ, not unschedulable', async () => {
    const { q } = newQueue();
    q.add(makePod({ name: 'a' }));
    const info = (await q.pop())!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd);
    q.addUnschedulableIfNotPresent(info, cycle);
    assert.deepEqual(q.pending(), { active: 0, backoff: 1, unschedulable: 0 });
  });

  it('errors go to backoffQ; the periodic flush retries them', async () => {
    const { clock, q } = newQueue();
    q.run();
    q.add(makePod({ name: 'a' }));
    const info = (await q.pop())!;
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle, true);
    assert.equal(q.pending().backoff, 1);
    await clock.step(1000);
    assert.equal(q.pending().active, 1);
    q.close();
  });

  it('retries pods parked for more than 5 minutes', async () => {
    const { clock, q } = newQueue();
    q.run();
    q.add(makePod({ name: 'a' }));
    q.addUnschedulableIfNotPresent((await q.pop())!, q.schedulingCycle);
    await clock.step(4 * 60_000);
    assert.equal(q.pending().unschedulable, 1);
    await clock.step(90_000);
    assert.equal(q.pending().active, 1);
    q.close();
  });

  it('a spec update of a parked pod retries it; a status-only update does not', async () => {
    const { clock, q } = newQueue();
    const pod = makePod({ name: 'a' });
    q.add(pod);
    q.addUnschedulableIfNotPresent((await q.pop())!, q.schedulingCycle);
    await clock.step(2000);
    q.update(pod, { ...pod, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } });
    assert.equal(q.pending().unschedulable, 1);
    q.update(pod, { ...pod, metadata: { ...pod.metadata, labels: { x: 'y' } } });
    assert.equal(q.pending().active, 1);
  });

  it('delete removes the pod everywhere; a deleted in-flight pod is not requeued', async () => {
    const { q } = newQueue();
    const pod = makePod({ name: 'a' });
    q.add(pod);
    const info = (await q.pop())!;
    q.delete(pod);
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle);
    assert.deepEqual(q.pending(), { active: 0, backoff: 0, unschedulable: 0 });
  });
});
