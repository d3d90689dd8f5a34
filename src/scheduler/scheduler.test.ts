import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PluginFactory } from './framework/interfaces.js';
import { Status } from './framework/status.js';
import { schedulerHarness, type HarnessOptions } from './testing/harness.js';
import { makeNode, makePod } from './testing/wrappers.js';

function setup(options: HarnessOptions & { extra?: Record<string, PluginFactory> } = {}) {
  return schedulerHarness({ ...options, ...(options.extra ? { plugins: options.extra } : {}) });
}

describe('Scheduler', () => {
  it('binds a pod to the least allocated node and counts it there (assume)', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '2' }));
    t.s.onNodeAdd(makeNode({ name: 'b', cpu: '4' }));
    t.addPod(makePod({ name: 'p1', requests: { cpu: '2' } }));
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => [b.metadata.name, b.target.name]), [['p1', 'b']]);
    assert.equal(t.events.at(-1)!.reason, 'Scheduled');
    assert.equal(t.events.at(-1)!.message, 'Successfully assigned default/p1 to b');
    // p1 is assumed on b (the informer has not confirmed it): the next 2-cpu pod still fits a and b equally…
    t.addPod(makePod({ name: 'p2', requests: { cpu: '2' } }));
    await t.cycle();
    t.addPod(makePod({ name: 'p3', requests: { cpu: '2' } }));
    await t.cycle();
    const placed = t.bindings.map((b) => b.target.name).sort();
    assert.deepEqual(placed, ['a', 'b', 'b']);
    // …and a fourth has no room anywhere.
    t.addPod(makePod({ name: 'p4', requests: { cpu: '1' } }));
    await t.cycle();
    assert.equal(t.bindings.length, 3);
    assert.equal(t.conditions.at(-1)!.condition.message, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..');
    assert.equal(t.conditions.at(-1)!.condition.reason, 'Unschedulable');
    assert.equal(t.events.at(-1)!.reason, 'FailedScheduling');
    assert.equal(t.s.queue.has(makePod({ name: 'p4' })), 'unschedulable');
  });

  it('retries an unschedulable pod when a node is added', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }));
    t.addPod(makePod({ name: 'p' }));
    await t.cycle();
    assert.equal(t.conditions.at(-1)!.condition.message, '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..');
    await t.clock.step(1000);
    t.s.onNodeAdd(makeNode({ name: 'b' }));
    assert.equal(t.s.queue.has(makePod({ name: 'p' })), 'active');
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.target.name), ['b']);
  });

  it('forgets the assumed pod and requeues with backoff when binding fails', async () => {
    let fail = true;
    const t = setup({ bindFails: () => fail });
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    t.addPod(makePod({ name: 'p', requests: { cpu: '1' } }));
    await t.cycle();
    assert.equal(t.s.cache.snapshot().get('a')!.requested.milliCPU, 0);
    assert.equal(t.s.queue.has(makePod({ name: 'p' })), 'backoff');
    assert.equal(t.conditions.at(-1)!.condition.reason, 'SchedulerError');
    fail = false;
    await t.clock.step(1000);
    t.s.queue.flushBackoffQCompleted();
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.target.name), ['a']);
  });

  it('leaves pods of other schedulers and bound pods alone; serves several profiles', async () => {
    const t = setup({ config: { profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'second' }] } });
    t.s.onNodeAdd(makeNode({ name: 'a' }));
    t.addPod(makePod({ name: 'other', schedulerName: 'someone-else' }));
    t.addPod(makePod({ name: 'bound', nodeName: 'a', requests: { cpu: '1' } }));
    assert.deepEqual(t.s.queue.pending(), { active: 0, backoff: 0, unschedulable: 0 });
    assert.equal(t.s.cache.snapshot().get('a')!.requested.milliCPU, 1000);
    t.addPod(makePod({ name: 'second', schedulerName: 'second' }));
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.metadata.name), ['second']);
  });

  it('prefers higher priority pods', async () => {
    const t = setup();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    t.addPod(makePod({ name: 'low', priority: 0, requests: { cpu: '1' } }));
    t.addPod(makePod({ name: 'high', priority: 1000, requests: { cpu: '1' } }));
    await t.cycle();
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.metadata.name), ['high']);
    assert.equal(t.conditions.at(-1)!.pod, 'low');
  });

  it('runs Reserve, Permit (Wait then allow), and Unreserve on rejection', async () => {
    const calls: string[] = [];
    const extra: Record<string, PluginFactory> = {
      Gate: () => ({
        name: 'Gate',
        reserve: (_s: unknown, pod: Pod, node: string) => void calls.push(`reserve ${pod.metadata!.name} ${node}`),
        unreserve: (_s: unknown, pod: Pod) => void calls.push(`unreserve ${pod.metadata!.name}`),
        permit: (_s: unknown, pod: Pod) => (pod.metadata!.name === 'deny' ? { status: Status.unschedulable('denied') } : { status: Status.wait(), timeoutMs: 5000 }),
      }),
    };
    const t = setup({ extra, config: { profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'Gate' }] } } }] } });
    t.s.onNodeAdd(makeNode({ name: 'a' }));
    t.addPod(makePod({ name: 'deny' }));
    await t.cycle();
    assert.deepEqual(calls, ['reserve deny a', 'unreserve deny']);
    assert.equal(t.conditions.at(-1)!.condition.message, 'denied');
    t.addPod(makePod({ name: 'held' }));
    await t.s.scheduleOne();
    const fwk = t.s.frameworks.get('default-scheduler')!;
    assert.equal(t.bindings.length, 0);
    fwk.waitingPods.get('uid-held')!.allow('Gate');
    await t.s.idle();
    assert.deepEqual(t.bindings.map((b) => b.metadata.name), ['held']);
  });

  it('a cordoned node takes nothing until it is uncordoned', async () => {
    const t = setup();
    const cordoned = makeNode({ name: 'a', unschedulable: true });
    t.s.onNodeAdd(cordoned);
    t.addPod(makePod({ name: 'p' }));
    await t.cycle();
    assert.equal(t.conditions.at(-1)!.condition.message, '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..');
    await t.clock.step(1000);
    t.s.onNodeUpdate(cordoned, makeNode({ name: 'a' }));
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.target.name), ['a']);
  });
});
