import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodeResourcesBalancedAllocation, balancedScore } from './balanced-allocation.js';

describe('NodeResourcesBalancedAllocation', () => {
  it('scores (1 - |f1 - f2| / 2) * 100', () => {
    assert.equal(balancedScore([0.5, 0.5]), 100);
    assert.equal(balancedScore([0.25, 0.75]), 75);
    assert.equal(balancedScore([1, 0]), 50);
  });
  it('uses the node’s requests plus the pod’s', () => {
    const p = new NodeResourcesBalancedAllocation();
    const node = makeNode({ name: 'n', cpu: '4000m', memory: '10000' });
    const info = new NodeInfo(node, makePod({ requests: { cpu: '1000m', memory: '2000' } }));
    const pod = makePod({ requests: { cpu: '1000m', memory: '3000' } });
    const s = new CycleState();
    assert.equal(p.preScore(s, pod), undefined);
    // cpu 2000/4000 = 0.5, memory 5000/10000 = 0.5 → 100
    assert.equal(p.score(s, pod, info), 100);
    const pod2 = makePod({ requests: { cpu: '3000m', memory: '0' } });
    const s2 = new CycleState();
    p.preScore(s2, pod2);
    // cpu 1, memory 0.2 → std 0.4 → 60
    assert.equal(p.score(s2, pod2, info), 60);
  });
  it('skips pods that request none of the resources', () => {
    assert.equal(new NodeResourcesBalancedAllocation().preScore(new CycleState(), makePod())!.isSkip(), true);
  });
});
