import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { planStatefulSet, type PlanInput, type StatefulAction } from './plan.js';

const pod = (ord: number, opts: { phase?: string; ready?: boolean; rev?: string; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name: `web-${ord}`,
    labels: { 'controller-revision-hash': opts.rev ?? 'web-new' },
    ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const input = (pods: Pod[], over: Partial<PlanInput> = {}): PlanInput => ({
  replicas: 3,
  start: 0,
  pods: new Map(pods.map((p) => [Number(p.metadata?.name?.split('-')[1]), p])),
  monotonic: true,
  partition: 0,
  updateRevision: 'web-new',
  isAvailable: (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  ...over,
});
const show = (actions: StatefulAction[]) => actions.map((a) => (a.type === 'create' ? `create ${a.ordinal} ${a.revision}` : `delete ${a.pod.metadata?.name} ${a.reason}`));

describe('planStatefulSet', () => {
  it('OrderedReady creates one pod at a time, the next only once the previous is Running and Ready', () => {
    assert.deepEqual(show(planStatefulSet(input([])).actions), ['create 0 update']);
    const waiting = planStatefulSet(input([pod(0, { ready: false })]));
    assert.deepEqual(show(waiting.actions), []);
    assert.ok(waiting.blocked);
    assert.deepEqual(show(planStatefulSet(input([pod(0)])).actions), ['create 1 update']);
  });

  it('Parallel creates every missing pod at once', () => {
    assert.deepEqual(show(planStatefulSet(input([pod(1, { ready: false })], { monotonic: false })).actions), ['create 0 update', 'create 2 update']);
  });

  it('scales down from the highest ordinal, one at a time, only when all others are healthy', () => {
    const pods = [pod(0), pod(1), pod(2), pod(3), pod(4)];
    assert.deepEqual(show(planStatefulSet(input(pods)).actions), ['delete web-4 condemned']);
    assert.deepEqual(show(planStatefulSet(input([pod(0), pod(1), pod(2), pod(3), pod(4, { deleting: true })])).actions), []);
    assert.deepEqual(show(planStatefulSet(input([pod(0, { ready: false }), pod(1), pod(2), pod(3)], { replicas: 1 })).actions), []);
    assert.deepEqual(show(planStatefulSet(input(pods, { monotonic: false })).actions), ['delete web-4 condemned', 'delete web-3 condemned']);
  });

  it('deletes a failed pod (to be recreated on a later sync)', () => {
    assert.deepEqual(show(planStatefulSet(input([pod(0), pod(1, { phase: 'Failed' })])).actions), ['delete web-1 failed']);
  });

  it('RollingUpdate replaces old pods from the highest ordinal down to the partition, one healthy step at a time', () => {
    const old = [pod(0, { rev: 'web-old' }), pod(1, { rev: 'web-old' }), pod(2, { rev: 'web-old' })];
    assert.deepEqual(show(planStatefulSet(input(old)).actions), ['delete web-2 update']);
    assert.deepEqual(show(planStatefulSet(input([old[0]!, old[1]!, pod(2, { ready: false })])).actions), []);
    assert.deepEqual(show(planStatefulSet(input([old[0]!, old[1]!, pod(2)])).actions), ['delete web-1 update']);
    assert.deepEqual(show(planStatefulSet(input([old[0]!, old[1]!, pod(2)], { partition: 2 })).actions), []);
    assert.deepEqual(show(planStatefulSet(input(old, { partition: undefined })).actions), [], 'OnDelete leaves old pods');
  });

  it('recreates pods below the partition from the current revision', () => {
    assert.deepEqual(show(planStatefulSet(input([pod(1), pod(2)], { partition: 2, monotonic: false })).actions), ['create 0 current']);
  });
});
