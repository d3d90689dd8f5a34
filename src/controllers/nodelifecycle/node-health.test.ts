// Node health: heartbeats from the Ready condition or the Lease, and the Unknown conditions after
// the grace period.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { checkNodeHealth } from './node-health.js';

const node: Node = {
  metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z' },
  status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
};
const lease = (renew: string): Lease => ({ metadata: { name: 'n1' }, spec: { renewTime: renew } });
const grace = { monitorMs: 3000, startupMs: 60_000 };
const t0 = Date.UTC(2026, 0, 1);

describe('checkNodeHealth', () => {
  it('a renewed lease keeps the node healthy; silence past the grace period makes it Unknown', () => {
    let check = checkNodeHealth(node, lease('a'), undefined, t0, 'x', grace);
    assert.equal(check.conditions, undefined);
    check = checkNodeHealth(node, lease('b'), check.record, t0 + 2500, 'x', grace);
    check = checkNodeHealth(node, lease('b'), check.record, t0 + 5000, 'x', grace);
    assert.equal(check.conditions, undefined, 'heard from 2.5 s ago');
    check = checkNodeHealth(node, lease('b'), check.record, t0 + 5600, 'now', grace);
    assert.equal(check.observed.status, 'True');
    const byType = new Map(check.conditions?.map((c) => [c.type, c]));
    assert.deepEqual(
      { status: byType.get('Ready')?.status, reason: byType.get('Ready')?.reason, message: byType.get('Ready')?.message, t: byType.get('Ready')?.lastTransitionTime },
      { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', t: 'now' },
    );
    assert.equal(byType.get('MemoryPressure')?.reason, 'NodeStatusNeverUpdated');
    assert.equal(byType.get('MemoryPressure')?.message, 'Kubelet never posted node status.');
  });
});
