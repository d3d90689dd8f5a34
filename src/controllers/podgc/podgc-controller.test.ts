// Pod GC's choice of terminated pods: beyond the threshold, evicted first, then oldest first.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { terminatedToDelete } from './podgc-controller.js';

const pod = (name: string, created: string, phase: string, reason?: string): Pod => ({
  metadata: { name, creationTimestamp: created },
  status: { phase, ...(reason ? { reason } : {}) },
});

describe('terminatedToDelete', () => {
  const pods = [
    pod('running', '2026-01-01T00:00:00Z', 'Running'),
    pod('new', '2026-01-01T00:00:03Z', 'Succeeded'),
    pod('old', '2026-01-01T00:00:01Z', 'Failed'),
    pod('mid', '2026-01-01T00:00:02Z', 'Succeeded'),
    pod('evicted', '2026-01-01T00:00:05Z', 'Failed', 'Evicted'),
  ];
  it('deletes the excess over the threshold, evicted first, then oldest first', () => {
    assert.deepEqual(terminatedToDelete(pods, 2).map((p) => p.metadata?.name), ['evicted', 'old']);
    assert.deepEqual(terminatedToDelete(pods, 4), []);
    assert.deepEqual(terminatedToDelete(pods, 0), [], 'threshold 0 keeps everything');
  });
});
