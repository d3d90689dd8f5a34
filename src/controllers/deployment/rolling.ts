// The RollingUpdate strategy (pkg/controller/deployment/rolling.go): grow the new ReplicaSet within
// maxSurge; shrink old ones while at least replicas − maxUnavailable stay available, unhealthy
// (unavailable) old replicas first; clean up old ReplicaSets once complete.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { maxUnavailable, newRSNewReplicas, replicasOf, specReplicas, sumSpec, sumStatus } from './fenceposts.js';
import { syncRolloutStatus, type Requeue } from './progress.js';
import type { DeploymentSync } from './sync.js';
import { byCreation, deploymentComplete, filterActive } from './util.js';

export async function rolloutRolling(s: DeploymentSync, d: Deployment, rsList: readonly ReplicaSet[]): Promise<Requeue> {
  const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  if (!newRS) throw new Error('no new replica set');
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(s, allRSs, newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return syncRolloutStatus(s, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(s: DeploymentSync, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = replicasOf(d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await s.scaleReplicaSetAndRecordEvent(newRS, want, d)).scaled;
  return (await s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (sumSpec(oldRSs) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const { oldRSs: cleaned, scaledDown: cleanup } = await cleanupUnhealthyReplicas(s, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned, newRS], cleaned, d);
  return cleanup + scaledDown > 0;
}

/** Scales down old replicas that are not available, oldest ReplicaSet first, at most maxCleanup. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; scaledDown: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= maxCleanup) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxCleanup - total, unhealthy);
    const { rs: updated } = await s.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - down, d);
    total += down;
    sorted[i] = updated;
  }
  return { oldRSs: sorted, scaledDown: total };
}

/** Scales down old ReplicaSets (oldest first) by as many as are available above minAvailable. */
async function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const toScale = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= toScale) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), toScale - total);
    await s.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - down, d);
    total += down;
  }
  return total;
}
