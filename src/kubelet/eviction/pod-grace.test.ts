import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { evictionGraceSeconds } from './pod-grace.js';
import { parseThreshold } from './thresholds.js';

const hard = parseThreshold('memory.available<100Mi')!;
const soft = { ...parseThreshold('memory.available<1Gi')!, gracePeriodMs: 60_000 };
const pod = (terminationGracePeriodSeconds?: number): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], ...(terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds } : {}) } });

test('a hard threshold evicts without a grace period', () => {
  assert.equal(evictionGraceSeconds(hard, pod(60), 30), 0);
});

test("a soft threshold gives the pod the lesser of its own grace period and --eviction-max-pod-grace-period", () => {
  assert.equal(evictionGraceSeconds(soft, pod(60), 20), 20);
  assert.equal(evictionGraceSeconds(soft, pod(10), 20), 10);
  assert.equal(evictionGraceSeconds(soft, pod(), 45), 30, "the API's default 30 s");
});

test("with the flag at 0 the pod worker takes the pod's own grace period; a pod asking for 0 gets 0", () => {
  assert.equal(evictionGraceSeconds(soft, pod(60), 0), 60);
  assert.equal(evictionGraceSeconds(soft, pod(0), 20), 0);
});

test('a soft threshold with a zero grace period is a hard one, as in Kubernetes', () => {
  assert.equal(evictionGraceSeconds({ ...soft, gracePeriodMs: 0 }, pod(60), 20), 0);
});
