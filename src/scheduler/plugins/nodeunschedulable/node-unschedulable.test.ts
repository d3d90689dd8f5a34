import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodeUnschedulable } from './node-unschedulable.js';

describe('NodeUnschedulable', () => {
  const p = new NodeUnschedulable();
  it('rejects cordoned nodes', () => {
    const s = p.filter(new CycleState(), makePod(), new NodeInfo(makeNode({ name: 'n', unschedulable: true })))!;
    assert.equal(s.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s.reasons, ['node(s) were unschedulable']);
    assert.equal(p.filter(new CycleState(), makePod(), new NodeInfo(makeNode({ name: 'n' }))), undefined);
  });
  it('admits pods tolerating node.kubernetes.io/unschedulable:NoSchedule', () => {
    const pod = makePod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.equal(p.filter(new CycleState(), pod, new NodeInfo(makeNode({ name: 'n', unschedulable: true }))), undefined);
  });
});
