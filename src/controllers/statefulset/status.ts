// A StatefulSet's status from its pods (computeReplicaStatus and completeRollingUpdate): every
// created pod counts as a replica, Running and Ready ones as ready (available after
// minReadySeconds), live ones at the current / update revision as current / updated; once a
// RollingUpdate has every replica updated and ready, the update revision becomes the current one.

import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../framework/pods.js';
import { podRevision } from './identity.js';

export interface StatusInput {
  set: StatefulSet;
  pods: readonly Pod[];
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  isAvailable: (pod: Pod) => boolean;
}

export function computeStatus(input: StatusInput): StatefulSetStatus {
  const status: StatefulSetStatus = {
    observedGeneration: input.set.metadata?.generation ?? 0,
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: input.collisionCount,
  };
  for (const pod of input.pods) {
    status.replicas++;
    if (pod.status?.phase === 'Running' && isPodReady(pod) && !pod.metadata?.deletionTimestamp) {
      status.readyReplicas!++;
      if (input.isAvailable(pod)) status.availableReplicas!++;
    }
    if (pod.metadata?.deletionTimestamp) continue;
    const rev = podRevision(pod);
    if (rev === input.currentRevision) status.currentReplicas!++;
    if (rev === input.updateRevision) status.updatedReplicas!++;
  }
  const rolling = (input.set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  if (input.set.status?.conditions) status.conditions = input.set.status.conditions;
  return status;
}

const FIELDS = ['observedGeneration', 'replicas', 'readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount'] as const;

export function statusChanged(old: StatefulSetStatus | undefined, next: StatefulSetStatus): boolean {
  return FIELDS.some((f) => (old?.[f] ?? 0) !== (next[f] ?? 0));
}
