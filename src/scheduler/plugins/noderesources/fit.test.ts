import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { podRequests } from '../../framework/resource.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodeResourcesFit } from './fit.js';

function run(p: NodeResourcesFit, pod: ReturnType<typeof makePod>, info: NodeInfo) {
  const s = new CycleState();
  p.preFilter(s, pod);
  return p.filter(s, pod, info);
}

describe('NodeResourcesFit filter', () => {
  const node = makeNode({ name: 'n', cpu: '10', memory: '20', pods: '32' });
  it('fits when requests are within what is left', () => {
    const info = new NodeInfo(node, makePod({ requests: { cpu: '5', memory: '5' } }));
    assert.equal(run(new NodeResourcesFit(), makePod({ requests: { cpu: '5', memory: '15' } }), info), undefined);
  });
  it('reports each insufficient resource', () => {
    const info = new NodeInfo(node, makePod({ requests: { cpu: '8', memory: '19' } }));
    const s = run(new NodeResourcesFit(), makePod({ requests: { cpu: '3', memory: '2' } }), info)!;
    assert.equal(s.code, 'Unschedulable');
    assert.deepEqual(s.reasons, ['Insufficient cpu', 'Insufficient memory']);
  });
  it('counts the largest init container, not their sum, and the overhead', () => {
    const init = (cpu: string) => ({ name: `i${cpu}`, image: 'x', resources: { requests: { cpu } } });
    const pod = makePod({ requests: { cpu: '1' }, initContainers: [init('3'), init('2')], overhead: { cpu: '500m' } });
    assert.equal(podRequests(pod).milliCPU, 3500);
    const info = new NodeInfo(node, makePod({ requests: { cpu: '7' } }));
    assert.equal(run(new NodeResourcesFit(), pod, info)!.reasons[0], 'Insufficient cpu');
    const roomy = new NodeInfo(node, makePod({ requests: { cpu: '6500m' } }));
    assert.equal(run(new NodeResourcesFit(), pod, roomy), undefined);
  });
  it('rejects a node with too many pods, even for a pod without requests', () => {
    const small = makeNode({ name: 'n', pods: '1' });
    const s = run(new NodeResourcesFit(), makePod(), new NodeInfo(small, makePod()))!;
    assert.deepEqual(s.reasons, ['Too many pods']);
  });
  it('checks extended resources unless ignored', () => {
    const gpuNode = makeNode({ name: 'n', extra: { 'example.com/gpu': '1' } });
    const pod = makePod({ requests: { 'example.com/gpu': '2' } });
    assert.deepEqual(run(new NodeResourcesFit(), pod, new NodeInfo(gpuNode))!.reasons, ['Insufficient example.com/gpu']);
    assert.equal(run(new NodeResourcesFit({ ignoredResources: ['example.com/gpu'] }), pod, new NodeInfo(gpuNode)), undefined);
    assert.equal(run(new NodeResourcesFit({ ignoredResourceGroups: ['example.com'] }), pod, new NodeInfo(gpuNode)), undefined);
  });
});

describe('NodeResourcesFit score', () => {
  // kube-scheduler's least_allocated_test: node 4000m / 10000 bytes, pod 3000m / 5000 (non-zero).
  const score = (p: NodeResourcesFit, pod: ReturnType<typeof makePod>, info: NodeInfo) => {
    const s = new CycleState();
    p.preScore(s, pod);
    return p.score(s, pod, info);
  };
  it('LeastAllocated: ((cap - req) * 100 / cap), averaged by weight', () => {
    const node = makeNode({ name: 'n', cpu: '4000m', memory: '10000' });
    const pod = makePod({ requests: { cpu: '3000m', memory: '5000' } });
    // cpu (4000-3000)*100/4000 = 25, memory 50 → 37
    assert.equal(score(new NodeResourcesFit(), pod, new NodeInfo(node)), 37);
  });
  it('LeastAllocated counts non-zero defaults for pods without requests', () => {
    const node = makeNode({ name: 'n', cpu: '1000m', memory: `${400 * 1024 * 1024}` });
    // 100m of 1000m → 90; 200Mi of 400Mi → 50 → 70
    assert.equal(score(new NodeResourcesFit(), makePod(), new NodeInfo(node)), 70);
  });
  it('MostAllocated: req * 100 / cap', () => {
    const node = makeNode({ name: 'n', cpu: '4000m', memory: '10000' });
    const pod = makePod({ requests: { cpu: '3000m', memory: '5000' } });
    assert.equal(score(new NodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } }), pod, new NodeInfo(node)), 62);
  });
  it('RequestedToCapacityRatio follows the shape', () => {
    const node = makeNode({ name: 'n', cpu: '4000m', memory: '10000' });
    const pod = makePod({ requests: { cpu: '2000m', memory: '5000' } });
    const p = new NodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } });
    assert.equal(score(p, pod, new NodeInfo(node)), 50);
  });
});
