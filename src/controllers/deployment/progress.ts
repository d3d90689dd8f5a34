// syncRolloutStatus (pkg/controller/deployment/progress.go): the status after a rollout step,
// with the Progressing condition — NewReplicaSetAvailable when complete, ReplicaSetUpdated while
// progressing (lastUpdateTime refreshed on every sign of progress), ProgressDeadlineExceeded when
// no progress was made for progressDeadlineSeconds — and ReplicaSets' ReplicaFailure copied over.
// Returns how long until the deadline should be checked again (requeueStuckDeployment), if at all.

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { parseTime } from '../../api/meta.js';
import type { DeploymentSync } from './sync.js';
import { statusEqual } from './sync.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, PROGRESSING, Reasons, REPLICA_FAILURE, removeCondition, setCondition } from './util.js';

export interface Requeue {
  /** Check again after this many ms (0: now, with backoff). */
  afterMs?: number;
}

export async function syncRolloutStatus(s: DeploymentSync, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<Requeue> {
  const now = s.clock.now();
  const status = s.calculateStatus(allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reasons.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', Reasons.NewRSAvailable, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata?.name}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', Reasons.ReplicaSetUpdated, msg, now);
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setCondition(status, newCondition(PROGRESSING, 'False', Reasons.TimedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);

  if (statusEqual(d.status, status)) return requeueStuck(d, status, now);
  await s.updateStatus({ ...d, status });
  return {};
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure=True condition first, else any other's. */
function replicaFailure(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const find = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === REPLICA_FAILURE && c.status === 'True');
  const c = find(newRS) ?? allRSs.map(find).find((x) => x !== undefined);
  if (!c) return undefined;
  return { type: c.type, status: c.status, reason: c.reason, message: c.message, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime };
}

/** requeueStuckDeployment: when the deadline may pass without any event, look again then. */
function requeueStuck(d: Deployment, status: DeploymentStatus, nowMs: number): Requeue {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return {};
  if (deploymentComplete(d, status) || current.reason === Reasons.TimedOut) return {};
  const after = (parseTime(current.lastUpdateTime) ?? 0) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  if (after < 1000) return { afterMs: 0 };
  return { afterMs: after + 1000 };
}
