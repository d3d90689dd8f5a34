// What one StatefulSet sync does (updateStatefulSet in stateful_set_control.go), as a pure plan over
// the pods by ordinal. Slots [start, start+replicas) must hold a healthy pod; pods outside are
// condemned, highest ordinal first. A failed or succeeded pod is deleted (and recreated on a later
// sync), a missing one created — from the current revision below the partition, else the update
// revision. With OrderedReady (monotonic) the plan stops at the first action or at a pod that is
// not yet Running and Ready (or terminating), so pod N+1 is created only once N is Ready and
// scale-down removes one pod at a time; Parallel creates and deletes all at once. RollingUpdate
// then deletes, from the highest ordinal down to the partition, one pod not at the update
// revision at a time, waiting for each replacement to be healthy (maxUnavailable 1); OnDelete
// leaves old pods alone.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive } from '../framework/pods.js';
import { podRevision } from './identity.js';

export type StatefulAction =
  | { type: 'create'; ordinal: number; revision: 'current' | 'update' }
  | { type: 'delete'; pod: Pod; reason: 'failed' | 'condemned' | 'update' };

export interface PlanInput {
  replicas: number;
  start: number;
  /** Claimed pods by ordinal. */
  pods: ReadonlyMap<number, Pod>;
  /** OrderedReady. */
  monotonic: boolean;
  /** The RollingUpdate partition; undefined for OnDelete. */
  partition: number | undefined;
  updateRevision: string;
  /** Running, Ready and available (minReadySeconds) now. */
  isAvailable: (pod: Pod) => boolean;
}

export interface Plan {
  actions: StatefulAction[];
  /** Stopped waiting on a pod (to become healthy or to go). */
  blocked: boolean;
}

const terminating = (p: Pod): boolean => !!p.metadata?.deletionTimestamp;
const finished = (p: Pod): boolean => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
const healthy = (p: Pod, input: PlanInput): boolean => !terminating(p) && p.status?.phase === 'Running' && input.isAvailable(p);

/** The revision a pod created now at `ordinal` is made from (newVersionedStatefulSetPod). */
export function revisionForOrdinal(ordinal: number, partition: number | undefined): 'current' | 'update' {
  return partition !== undefined && ordinal < partition ? 'current' : 'update';
}

export function planStatefulSet(input: PlanInput): Plan {
  const actions: StatefulAction[] = [];
  const end = input.start + input.replicas;
  const stop = (): Plan => ({ actions, blocked: true });

  for (let ord = input.start; ord < end; ord++) {
    const pod = input.pods.get(ord);
    if (!pod) {
      actions.push({ type: 'create', ordinal: ord, revision: revisionForOrdinal(ord, input.partition) });
      if (input.monotonic) return stop();
      continue;
    }
    if (finished(pod)) {
      if (!terminating(pod)) actions.push({ type: 'delete', pod, reason: 'failed' });
      if (input.monotonic) return stop();
      continue;
    }
    if (input.monotonic && !healthy(pod, input)) return stop();
  }

  const condemned = [...input.pods.entries()].filter(([ord]) => ord < input.start || ord >= end).sort(([a], [b]) => b - a);
  const firstUnhealthy = [...[...input.pods.entries()].filter(([ord]) => ord >= input.start && ord < end).sort(([a], [b]) => a - b), ...condemned]
    .map(([, p]) => p)
    .find((p) => !healthy(p, input));
  for (const [, pod] of condemned) {
    if (terminating(pod)) {
      if (input.monotonic) return stop();
      continue;
    }
    // OrderedReady removes a condemned pod only when every other pod is healthy.
    if (input.monotonic && firstUnhealthy && firstUnhealthy !== pod) return stop();
    actions.push({ type: 'delete', pod, reason: 'condemned' });
    if (input.monotonic) return stop();
  }

  if (input.partition === undefined) return { actions, blocked: false };
  const updateMin = input.start + Math.max(0, input.partition);
  for (let ord = end - 1; ord >= updateMin; ord--) {
    const pod = input.pods.get(ord);
    if (!pod || !isPodActive(pod)) {
      if (pod && terminating(pod)) return stop();
      continue;
    }
    if (podRevision(pod) !== input.updateRevision) {
      actions.push({ type: 'delete', pod, reason: 'update' });
      return stop();
    }
    if (!healthy(pod, input)) return stop();
  }
  return { actions, blocked: false };
}
