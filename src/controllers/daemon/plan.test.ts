import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { planDaemonSet, type DaemonPlanInput, type NodeState } from './plan.js';

const pod = (name: string, node: string, opts: { hash?: string; ready?: boolean; phase?: string; created?: string; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name,
    creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
    labels: { 'controller-revision-hash': opts.hash ?? 'new' },
    ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
  },
  spec: { nodeName: node, containers: [] },
  status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const run = { shouldRun: true, shouldContinueRunning: true };
const state = (name: string, pods: Pod[], decision = run): NodeState => ({ node: { metadata: { name } }, decision, pods });
const plan = (nodes: NodeState[], over: Partial<DaemonPlanInput> = {}) => {
  const p = planDaemonSet({ nodes, strayPods: [], hash: 'new', rolling: { maxSurge: 0, maxUnavailable: 1 }, isAvailable: (x) => x.status?.conditions?.[0]?.status === 'True', ...over });
  return { create: p.createOn, delete: p.deletePods.map((x) => x.metadata?.name) };
};

describe('planDaemonSet', () => {
  it('creates on eligible nodes without a pod and removes pods from ineligible, gone or duplicate places', () => {
    assert.deepEqual(plan([state('a', []), state('b', [pod('p-b', 'b')])]), { create: ['a'], delete: [] });
    assert.deepEqual(plan([state('a', [pod('p-a', 'a')], { shouldRun: false, shouldContinueRunning: false })]), { create: [], delete: ['p-a'] });
    assert.deepEqual(plan([state('a', [pod('p-a', 'a')], { shouldRun: false, shouldContinueRunning: true })]), { create: [], delete: [] }, 'NoSchedule keeps a running pod');
    assert.deepEqual(plan([], { strayPods: [pod('p-x', 'x')] }), { create: [], delete: ['p-x'] });
    assert.deepEqual(plan([state('a', [pod('young', 'a', { created: '2026-01-02T00:00:00Z' }), pod('old', 'a')])]), { create: [], delete: ['young'] });
    assert.deepEqual(plan([state('a', [pod('f', 'a', { phase: 'Failed' })])]), { create: [], delete: ['f'] });
    assert.deepEqual(plan([state('a', [pod('f', 'a', { phase: 'Failed' })])], { inBackoff: (n) => n === 'a' }), { create: [], delete: [] }, 'a failed pod in backoff stays');
    assert.deepEqual(plan([state('a', [pod('t', 'a', { deleting: true })])]), { create: [], delete: [] }, 'a terminating pod is waited for');
  });

  it('RollingUpdate with maxUnavailable deletes old pods within the budget, unavailable old ones first', () => {
    const nodes = [state('a', [pod('a1', 'a', { hash: 'old' })]), state('b', [pod('b1', 'b', { hash: 'old' })]), state('c', [pod('c1', 'c', { hash: 'old', ready: false })])];
    assert.deepEqual(plan(nodes), { create: [], delete: ['c1', 'a1'] });
    const cordoned = { shouldRun: false, shouldContinueRunning: true };
    assert.deepEqual(plan([state('t', [], cordoned), ...nodes.slice(0, 2)]), { create: [], delete: ['a1'] }, 'a node that may not run the daemon and has none is not unavailable');
    assert.deepEqual(plan([state('e', []), ...nodes.slice(0, 2)]), { create: ['e'], delete: [] }, 'a node waiting for its pod is unavailable');
    const midway = [state('a', [pod('a2', 'a', { ready: false })]), state('b', [pod('b1', 'b', { hash: 'old' })])];
    assert.deepEqual(plan(midway), { create: [], delete: [] }, 'a new pod not yet available uses the budget');
    assert.deepEqual(plan(nodes, { rolling: undefined }), { create: [], delete: [] }, 'OnDelete leaves old pods');
  });

  it('RollingUpdate with maxSurge starts new pods beside old ones and deletes the old once the new are available', () => {
    const nodes = [state('a', [pod('a1', 'a', { hash: 'old' })]), state('b', [pod('b1', 'b', { hash: 'old' })])];
    assert.deepEqual(plan(nodes, { rolling: { maxSurge: 1, maxUnavailable: 0 } }), { create: ['a'], delete: [] });
    const surging = [state('a', [pod('a1', 'a', { hash: 'old' }), pod('a2', 'a', { ready: false })]), state('b', [pod('b1', 'b', { hash: 'old' })])];
    assert.deepEqual(plan(surging, { rolling: { maxSurge: 1, maxUnavailable: 0 } }), { create: [], delete: [] });
    const ready = [state('a', [pod('a1', 'a', { hash: 'old' }), pod('a2', 'a')]), state('b', [pod('b1', 'b', { hash: 'old' })])];
    assert.deepEqual(plan(ready, { rolling: { maxSurge: 1, maxUnavailable: 0 } }), { create: ['b'], delete: ['a1'] });
  });
});
