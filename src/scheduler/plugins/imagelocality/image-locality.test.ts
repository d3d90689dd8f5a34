import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { ImageLocality, calculatePriority, normalizedImageName } from './image-locality.js';

const MB = 1024 * 1024;
const withImages = (name: string, images: { names: string[]; sizeBytes: number }[]): NodeInfo => {
  const base = makeNode({ name });
  const n: Node = { ...base, status: { ...base.status, images } };
  return new NodeInfo(n);
};

describe('ImageLocality', () => {
  it('normalizes names', () => {
    assert.equal(normalizedImageName('gcr.io/40'), 'gcr.io/40:latest');
    assert.equal(normalizedImageName('localhost:5000/img'), 'localhost:5000/img:latest');
    assert.equal(normalizedImageName('gcr.io/250:v1'), 'gcr.io/250:v1');
  });
  it('clamps to [23MB, 1000MB × containers]', () => {
    assert.equal(calculatePriority(10 * MB, 1), 0);
    assert.equal(calculatePriority(2000 * MB, 1), 100);
    assert.equal(calculatePriority(40 * MB, 1), Math.trunc((100 * 17 * MB) / (977 * MB)));
  });
  // kube's image_locality_test.go: "two images spread on two nodes, prefer the larger image one".
  it('scores by image size times spread over all nodes', () => {
    const node1 = withImages('n1', [{ names: ['gcr.io/40:latest', 'gcr.io/40:v1'], sizeBytes: 40 * MB }, { names: ['gcr.io/300:latest'], sizeBytes: 300 * MB }]);
    const node2 = withImages('n2', [{ names: ['gcr.io/250:latest'], sizeBytes: 250 * MB }, { names: ['gcr.io/10:v1'], sizeBytes: 10 * MB }]);
    const node3 = withImages('n3', []);
    const nodes = [node1, node2, node3];
    const p = new ImageLocality();
    const pod = makePod({ containers: [{ name: 'a', image: 'gcr.io/40' }, { name: 'b', image: 'gcr.io/300' }] });
    const state = new CycleState();
    p.preScore(state, pod, nodes);
    // node1: (40MB + 300MB) × 1/3 = 113.33MB → 100 × (113.33 − 23) / (2000 − 23) = 4
    assert.deepEqual(nodes.map((n) => p.score(state, pod, n)), [4, 0, 0]);
    const pod2 = makePod({ containers: [{ name: 'a', image: 'gcr.io/250' }] });
    // node2: 250MB × 1/3 = 83.3MB → 100 × 60.3 / 977 = 6
    assert.deepEqual(nodes.map((n) => p.score(state, pod2, n)), [0, 6, 0]);
  });
  it('an image on every node counts fully', () => {
    const nodes = [withImages('a', [{ names: ['big:1'], sizeBytes: 2000 * MB }]), withImages('b', [{ names: ['big:1'], sizeBytes: 2000 * MB }])];
    const p = new ImageLocality();
    const state = new CycleState();
    const pod = makePod({ containers: [{ name: 'a', image: 'big:1' }] });
    p.preScore(state, pod, nodes);
    assert.deepEqual(nodes.map((n) => p.score(state, pod, n)), [100, 100]);
  });
});
