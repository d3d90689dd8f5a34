import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatIndexes, parseIndexes, podIndex } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

describe('Job completion indexes', () => {
  it('formats and parses Kubernetes interval text', () => {
    assert.equal(formatIndexes([5, 1, 3, 4, 7, 3]), '1,3-5,7');
    assert.equal(formatIndexes([]), '');
    assert.deepEqual([...parseIndexes('1,3-5,7', 6)].sort(), [1, 3, 4, 5]);
    assert.deepEqual([...parseIndexes(undefined, 3)], []);
  });

  it("reads a pod's index from its annotation", () => {
    assert.equal(podIndex({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': '4' } } }), 4);
    assert.equal(podIndex({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': 'x' } } }), undefined);
  });
});

describe('podFailurePolicy', () => {
  const failed = (code: number, conditions: { type: string; status: string }[] = []): Pod => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: code } } }] },
  });
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
    ],
  };
  it('takes the first matching rule, in Kubernetes words', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failed(42)), { action: 'FailJob', message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1' });
    assert.equal(matchPodFailurePolicy(policy, failed(42, [{ type: 'DisruptionTarget', status: 'True' }]))?.action, 'Ignore');
    assert.equal(matchPodFailurePolicy(policy, failed(7))?.action, 'Count');
    assert.equal(matchPodFailurePolicy(policy, failed(1)), undefined);
    assert.equal(matchPodFailurePolicy(undefined, failed(42)), undefined);
  });
});
