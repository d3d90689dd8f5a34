import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from './framework/status.js';
import { fitErrorMessage } from './fit-error.js';
import { numFeasibleNodesToFind, selectHost } from './scheduler.js';

describe('FitError message', () => {
  it('is a sorted histogram of reasons, in kube-scheduler’s words', () => {
    const nodeToStatus = new Map([
      ['a', Status.unresolvable('node(s) had untolerated taint {dedicated: db}')],
      ['b', Status.unschedulable('Insufficient cpu')],
      ['c', Status.unschedulable('Insufficient cpu')],
    ]);
    assert.equal(fitErrorMessage(3, { nodeToStatus, unschedulablePlugins: new Set() }), '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu.');
  });
  it('counts every reason of a node, and adds the PostFilter message', () => {
    const nodeToStatus = new Map([['a', Status.unschedulable('Insufficient cpu', 'Insufficient memory')]]);
    assert.equal(
      fitErrorMessage(1, { nodeToStatus, unschedulablePlugins: new Set(), postFilterMsg: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod' }),
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });
  it('uses the PreFilter message alone when PreFilter rejected the pod', () => {
    assert.equal(fitErrorMessage(2, { nodeToStatus: new Map(), unschedulablePlugins: new Set(), preFilterMsg: 'x' }), '0/2 nodes are available: x.');
  });
});

describe('numFeasibleNodesToFind', () => {
  it('takes every node below 100, else an adaptive percentage with floors', () => {
    assert.equal(numFeasibleNodesToFind(undefined, 50), 50);
    assert.equal(numFeasibleNodesToFind(undefined, 150), 100);
    assert.equal(numFeasibleNodesToFind(undefined, 1000), 420); // 50 - 1000/125 = 42%
    assert.equal(numFeasibleNodesToFind(undefined, 5000), 500); // 10%
    assert.equal(numFeasibleNodesToFind(undefined, 6000), 300); // floor at 5%
    assert.equal(numFeasibleNodesToFind(100, 6000), 6000);
    assert.equal(numFeasibleNodesToFind(1, 1000), 100);
  });
});

describe('selectHost', () => {
  it('picks the highest score; ties at random', () => {
    assert.equal(selectHost([{ name: 'a', score: 1 }, { name: 'b', score: 3 }, { name: 'c', score: 2 }], () => 0.99), 'b');
    const ties = [{ name: 'a', score: 5 }, { name: 'b', score: 5 }, { name: 'c', score: 5 }];
    assert.equal(selectHost(ties, () => 0.99), 'a');
    assert.equal(selectHost(ties, () => 0), 'c');
  });
});
