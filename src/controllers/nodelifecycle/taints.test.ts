// The taints node conditions call for, and swapping taints in one write.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { managedNoScheduleTaints, noScheduleTaintsFor, swapTaints, taintDiff, zoneOf } from './taints.js';

const node = (conditions: [string, string][], taints: Taint[] = [], unschedulable = false): Node => ({
  metadata: { name: 'n', labels: { 'topology.kubernetes.io/zone': 'z1' } },
  spec: { taints, unschedulable },
  status: { conditions: conditions.map(([type, status]) => ({ type, status })) },
});

describe('node taints', () => {
  it('maps conditions and unschedulable to NoSchedule taints', () => {
    const n = node([['Ready', 'Unknown'], ['MemoryPressure', 'True'], ['DiskPressure', 'False']], [], true);
    assert.deepEqual(noScheduleTaintsFor(n).map((t) => t.key), ['node.kubernetes.io/unreachable', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/unschedulable']);
    assert.deepEqual(noScheduleTaintsFor(node([['Ready', 'False']])).map((t) => t.key), ['node.kubernetes.io/not-ready']);
  });

  it('only manages its own NoSchedule taints, and swaps in one list with timeAdded', () => {
    const n = node([['Ready', 'True']], [{ key: 'dedicated', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    const { add, remove } = taintDiff(noScheduleTaintsFor(n), managedNoScheduleTaints(n));
    assert.deepEqual([add, remove.map((t) => t.key)], [[], ['node.kubernetes.io/not-ready']]);
    assert.deepEqual(swapTaints(n, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], remove, 'T'), [
      { key: 'dedicated', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'T' },
    ]);
    assert.equal(swapTaints(n, [{ key: 'dedicated', effect: 'NoSchedule' }], [], 'T'), undefined, 'nothing to change');
  });

  it('keys zones by region and zone labels', () => {
    assert.equal(zoneOf(node([])), ':\x00:z1');
    assert.equal(zoneOf({ metadata: {} }), '');
  });
});
