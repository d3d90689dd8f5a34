import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { memoryVolumeSize, podMemoryLimit } from './empty-dir.js';

const Mi = 1024 * 1024;

describe('memory-backed emptyDir size', () => {
  it('is the pod memory limit only when every container has one (init containers: max, sidecars: added)', () => {
    const pod = (limits: Array<string | undefined>, init: Array<[string, boolean]> = []): Pod => ({
      spec: {
        containers: limits.map((l, i) => ({ name: `c${i}`, resources: l ? { limits: { memory: l } } : {} })),
        initContainers: init.map(([l, sidecar], i) => ({ name: `i${i}`, resources: { limits: { memory: l } }, ...(sidecar ? { restartPolicy: 'Always' } : {}) })),
      },
    });
    assert.equal(podMemoryLimit(pod(['64Mi', '32Mi'])), 96 * Mi);
    assert.equal(podMemoryLimit(pod(['64Mi', undefined])), undefined);
    assert.equal(podMemoryLimit(pod(['64Mi'], [['128Mi', false]])), 128 * Mi);
    assert.equal(podMemoryLimit(pod(['64Mi'], [['16Mi', true]])), 80 * Mi);
  });

  it('takes the smallest positive of allocatable, pod limit and sizeLimit', () => {
    assert.equal(memoryVolumeSize(4096 * Mi, 96 * Mi, 10 * Mi), 10 * Mi);
    assert.equal(memoryVolumeSize(4096 * Mi, 96 * Mi, 200 * Mi), 96 * Mi);
    assert.equal(memoryVolumeSize(4096 * Mi, undefined, undefined), 4096 * Mi);
    assert.equal(memoryVolumeSize(64 * Mi, undefined, 0), 64 * Mi);
    assert.equal(memoryVolumeSize(undefined, undefined, undefined), undefined);
  });
});
