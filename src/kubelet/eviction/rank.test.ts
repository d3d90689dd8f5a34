import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rankForEviction } from './rank.js';
import type { PodUsage } from './pod-stats.js';

const Mi = 2 ** 20;
const pod = (name: string, requestMi: number | undefined, priority = 0): Pod => ({
  metadata: { name, uid: name },
  spec: { priority, containers: [{ name: 'c', ...(requestMi !== undefined ? { resources: { requests: { memory: `${requestMi}Mi` } } } : {}) }] },
});
const usage: Record<string, PodUsage> = {
  small: { containers: [{ name: 'c', memoryBytes: 10 * Mi }] },
  big: { containers: [{ name: 'c', memoryBytes: 500 * Mi }] },
  withinRequest: { containers: [{ name: 'c', memoryBytes: 100 * Mi }] },
  important: { containers: [{ name: 'c', memoryBytes: 900 * Mi }] },
};
const stats = (p: Pod) => usage[p.metadata!.name!];

test('memory: pods over their requests first, then lower priority, then the larger excess', () => {
  const pods = [pod('withinRequest', 200), pod('important', undefined, 1000), pod('small', undefined), pod('big', undefined)];
  assert.deepEqual(
    rankForEviction(pods, 'memory.available', stats).map((p) => p.metadata!.name),
    ['big', 'small', 'important', 'withinRequest'],
  );
});

test('pods without stats go first; pids rank by priority alone', () => {
  const pods = [pod('big', undefined), pod('unmeasured', undefined)];
  assert.deepEqual(rankForEviction(pods, 'memory.available', stats).map((p) => p.metadata!.name), ['unmeasured', 'big']);
  const byPriority = [pod('a', undefined, 10), pod('b', undefined, -5), pod('c', undefined, 0)];
  assert.deepEqual(rankForEviction(byPriority, 'pid.available', stats).map((p) => p.metadata!.name), ['b', 'c', 'a']);
});
