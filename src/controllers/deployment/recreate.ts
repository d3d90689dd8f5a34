// The Recreate strategy (pkg/controller/deployment/recreate.go): scale every old ReplicaSet to 0,
// wait until none of their pods is left running, only then create or scale up the new one — old
// and new pods never overlap.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { replicasOf, specReplicas, sumStatus } from './fenceposts.js';
import { syncRolloutStatus, type Requeue } from './progress.js';
import type { DeploymentSync } from './sync.js';
import { deploymentComplete, filterActive } from './util.js';

export async function rolloutRecreate(s: DeploymentSync, d: Deployment, rsList: readonly ReplicaSet[], podMap: ReadonlyMap<string, Pod[]>): Promise<Requeue> {
  let { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if (specReplicas(rs) === 0) continue;
    if ((await s.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(s, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await s.scaleReplicaSetAndRecordEvent(newRS, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return syncRolloutStatus(s, allRSs, newRS, d);
}

/** Whether any pod of an old ReplicaSet may still be running (not Succeeded or Failed). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: ReadonlyMap<string, Pod[]>): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}
