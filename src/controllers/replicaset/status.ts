// A ReplicaSet's (or ReplicationController's) status from its claimed pods
// (replica_set_utils.go calculateStatus): replicas, fullyLabeledReplicas (pods carrying every
// template label), readyReplicas, availableReplicas (ready for minReadySeconds), and the
// ReplicaFailure condition, set while creating or deleting pods fails and removed once it works.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../api/meta.js';
import { messageOf } from '../../api/status.js';
import { isPodAvailable, isPodReady } from '../framework/pods.js';
import type { ReplicaStatus } from './kinds.js';

export interface StatusInput {
  status: ReplicaStatus | undefined;
  templateLabels: Record<string, string> | undefined;
  minReadySeconds: number;
  replicas: number;
  pods: readonly Pod[];
  /** The error manageReplicas returned, if any. */
  manageError: unknown;
  nowMs: number;
}

export function calculateStatus(input: StatusInput): ReplicaStatus {
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  const want = Object.entries(input.templateLabels ?? {});
  for (const pod of input.pods) {
    const labels = pod.metadata?.labels ?? {};
    if (want.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, input.minReadySeconds, input.nowMs)) available++;
    }
  }
  const conditions = [...(input.status?.conditions ?? [])];
  const failure = conditions.findIndex((c) => c.type === 'ReplicaFailure');
  if (input.manageError !== undefined && failure < 0) {
    const diff = input.pods.length - input.replicas;
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: formatTime(input.nowMs),
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: messageOf(input.manageError),
    });
  } else if (input.manageError === undefined && failure >= 0) {
    conditions.splice(failure, 1);
  }
  const status: ReplicaStatus = {
    ...input.status,
    replicas: input.pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

/** Whether the status needs writing (counts, observedGeneration or conditions differ). */
export function statusChanged(old: ReplicaStatus | undefined, next: ReplicaStatus, generation: number): boolean {
  return (
    (old?.replicas ?? 0) !== next.replicas ||
    (old?.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (old?.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (old?.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (old?.observedGeneration ?? 0) !== generation ||
    JSON.stringify(old?.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
