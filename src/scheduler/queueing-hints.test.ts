import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { schedulerHarness } from './testing/harness.js';
import { makeNode, makePod } from './testing/wrappers.js';

const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };

describe('queueing hints', () => {
  it('a pod rejected by a taint moves only for a node it tolerates', async () => {
    const t = schedulerHarness();
    t.s.onNodeAdd(makeNode({ name: 'a', taints: [taint] }));
    t.addPod(makePod({ name: 'p' }));
    await t.cycle();
    const p = makePod({ name: 'p' });
    assert.equal(t.s.queue.has(p), 'unschedulable');
    await t.clock.step(1000);
    t.s.onNodeAdd(makeNode({ name: 'b', taints: [taint] }));
    assert.equal(t.s.queue.has(p), 'unschedulable', 'another tainted node cannot help');
    t.s.onPodDelete(makePod({ name: 'elsewhere', nodeName: 'a' }));
    assert.equal(t.s.queue.has(p), 'unschedulable', 'TaintToleration does not register pod deletions');
    t.s.onNodeUpdate(makeNode({ name: 'b', taints: [taint] }), makeNode({ name: 'b' }));
    assert.equal(t.s.queue.has(p), 'active', 'the taint was removed');
    await t.cycle();
    assert.deepEqual(t.bindings.map((b) => b.target.name), ['b']);
  });

  it('a pod rejected for resources moves when an assigned pod goes, not for a node it does not match', async () => {
    const t = schedulerHarness();
    t.s.onNodeAdd(makeNode({ name: 'a', cpu: '1' }));
    const big = makePod({ name: 'big', requests: { cpu: '1' }, nodeName: 'a' });
    t.s.onPodAdd(big);
    const p: Pod = { ...makePod({ name: 'p', requests: { cpu: '1' } }) };
    t.addPod(p);
    await t.cycle();
    assert.equal(t.s.queue.has(p), 'unschedulable');
    await t.clock.step(1000);
    t.s.onPodDelete(big);
    assert.equal(t.s.queue.has(p), 'active');
  });

  it('a pod rejected by node selection moves for a matching node only', async () => {
    const t = schedulerHarness();
    t.s.onNodeAdd(makeNode({ name: 'a' }));
    const p: Pod = { ...makePod({ name: 'p' }), spec: { ...makePod({ name: 'p' }).spec!, nodeSelector: { disk: 'ssd' } } };
    t.addPod(p);
    await t.cycle();
    assert.equal(t.s.queue.has(p), 'unschedulable');
    await t.clock.step(1000);
    t.s.onNodeAdd(makeNode({ name: 'b', labels: { disk: 'hdd' } }));
    assert.equal(t.s.queue.has(p), 'unschedulable');
    t.s.onNodeAdd(makeNode({ name: 'c', labels: { disk: 'ssd' } }));
    assert.equal(t.s.queue.has(p), 'active');
  });
});
