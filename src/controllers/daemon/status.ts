// A DaemonSet's status (updateDaemonSetStatus): per node that should run the daemon, whether a
// pod is there, and whether the oldest one is ready, available and at the current hash; pods on
// nodes that should not run it are misscheduled.

import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../framework/pods.js';
import { isUpdated, type NodeState } from './plan.js';

export function computeDaemonStatus(nodes: readonly NodeState[], hash: string, isAvailable: (pod: Pod) => boolean, generation: number, collisionCount: number): DaemonSetStatus {
  const s: Required<Pick<DaemonSetStatus, 'desiredNumberScheduled' | 'currentNumberScheduled' | 'numberMisscheduled' | 'numberReady' | 'numberAvailable' | 'numberUnavailable' | 'updatedNumberScheduled'>> = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
    updatedNumberScheduled: 0,
  };
  for (const { decision, pods } of nodes) {
    const scheduled = pods.filter((p) => !!p.spec?.nodeName && !p.metadata?.deletionTimestamp);
    if (!decision.shouldRun) {
      if (scheduled.length > 0) s.numberMisscheduled++;
      continue;
    }
    s.desiredNumberScheduled++;
    if (scheduled.length === 0) continue;
    s.currentNumberScheduled++;
    const oldest = [...scheduled].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))[0]!;
    if (isPodReady(oldest)) {
      s.numberReady++;
      if (isAvailable(oldest)) s.numberAvailable++;
    }
    if (isUpdated(oldest, hash)) s.updatedNumberScheduled++;
  }
  s.numberUnavailable = Math.max(0, s.desiredNumberScheduled - s.numberAvailable);
  return { ...s, observedGeneration: generation, collisionCount };
}

const FIELDS = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'numberAvailable', 'numberUnavailable', 'updatedNumberScheduled', 'observedGeneration', 'collisionCount'] as const;

export function daemonStatusChanged(old: DaemonSetStatus | undefined, next: DaemonSetStatus): boolean {
  return FIELDS.some((f) => (old?.[f] ?? 0) !== (next[f] ?? 0));
}
