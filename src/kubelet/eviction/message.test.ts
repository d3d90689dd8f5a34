import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { evictionMessage } from './message.js';
import { parseThreshold } from './thresholds.js';

const Mi = 2 ** 20;
const pod: Pod = {
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'hog', resources: { requests: { memory: '10Mi' } } }, { name: 'quiet' }, { name: 'modest', resources: { requests: { memory: '1Gi' } } }] },
};

test('the message names the resource, the threshold, what was available and the containers over their requests', () => {
  const message = evictionMessage(
    pod,
    parseThreshold('memory.available<100Mi')!,
    { 'memory.available': { available: 50 * Mi, capacity: 8192 * Mi } },
    { containers: [{ name: 'hog', memoryBytes: 20 * Mi }, { name: 'quiet', memoryBytes: 3 * Mi }, { name: 'modest', memoryBytes: 5 * Mi }] },
  );
  assert.equal(
    message,
    'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ' +
      'Container hog was using 20Mi, request is 10Mi, has larger consumption of memory. ' +
      'Container quiet was using 3Mi, request is 0, has larger consumption of memory. ',
  );
});

test('disk pressure reports ephemeral-storage against the percentage threshold', () => {
  const message = evictionMessage(pod, parseThreshold('nodefs.available<10%')!, { 'nodefs.available': { available: 1024, capacity: 102400 } }, undefined);
  assert.equal(message, 'The node was low on resource: ephemeral-storage. Threshold quantity: 10Ki, available: 1Ki. ');
});
