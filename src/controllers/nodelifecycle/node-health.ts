// A node's health as the node lifecycle controller tracks it (tryUpdateNodeHealth): the last time
// it heard from the node — a new Ready heartbeat in its status or a renewed Lease in
// kube-node-lease — and, once that is older than the grace period (the startup grace for a node
// that never posted status), the conditions to write: Ready, MemoryPressure, DiskPressure and
// PIDPressure Unknown with reason NodeStatusUnknown ("Kubelet stopped posting node status."), or
// NodeStatusNeverUpdated for conditions never posted.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { parseTime } from '../../api/meta.js';
import { getCondition } from './taints.js';

export interface HealthRecord {
  /** When the controller last heard from the node (ms). */
  probeTimestamp: number;
  /** The Ready heartbeat last seen. */
  heartbeat?: string;
  /** The Lease renewTime last seen. */
  leaseRenewTime?: string;
}

export interface HealthCheck {
  record: HealthRecord;
  /** The Ready condition as the node had it. */
  observed: NodeCondition;
  /** The conditions to write when the node is now considered unknown (undefined: nothing to write). */
  conditions?: NodeCondition[];
  /** The Ready condition after this check. */
  current?: NodeCondition;
}

const MONITORED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function checkNodeHealth(
  node: Node,
  lease: Lease | undefined,
  previous: HealthRecord | undefined,
  now: number,
  nowText: string,
  gracePeriods: { monitorMs: number; startupMs: number },
): HealthCheck {
  const created = parseTime(node.metadata?.creationTimestamp) ?? now;
  const ready = getCondition(node, 'Ready');
  let record: HealthRecord;
  let observed: NodeCondition;
  let grace: number;
  if (!ready) {
    observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: node.metadata?.creationTimestamp };
    grace = gracePeriods.startupMs;
    record = previous ? { ...previous } : { probeTimestamp: created };
  } else {
    observed = { ...ready };
    grace = gracePeriods.monitorMs;
    if (!previous) record = { probeTimestamp: now, ...(ready.lastHeartbeatTime ? { heartbeat: ready.lastHeartbeatTime } : {}) };
    else {
      record = { ...previous };
      if (previous.heartbeat !== ready.lastHeartbeatTime) {
        record.probeTimestamp = now;
        if (ready.lastHeartbeatTime) record.heartbeat = ready.lastHeartbeatTime;
      }
    }
  }
  const renew = lease?.spec?.renewTime ?? undefined;
  if (renew && renew !== record.leaseRenewTime) {
    record.leaseRenewTime = renew;
    record.probeTimestamp = now;
  }
  if (now <= record.probeTimestamp + grace) return { record, observed, ...(ready ? { current: ready } : {}) };

  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  for (const type of MONITORED) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: nowText });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowText });
    }
  }
  const current = conditions.find((c) => c.type === 'Ready');
  const changed = !ready || ready.status !== current?.status || ready.reason !== current?.reason || ready.message !== current?.message;
  return { record, observed, ...(current ? { current } : {}), ...(changed ? { conditions } : {}) };
}
