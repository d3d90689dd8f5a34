// The eviction manager's pod admission (its Admit): with no pressure every pod is admitted;
// critical pods (static, mirror, or priority ≥ 2000000000) always; under memory pressure alone a
// pod that is not BestEffort, or a BestEffort one tolerating the memory-pressure taint; anything
// else is rejected with reason Evicted and "The node had condition: [DiskPressure]. ".

import type { Pod } from 'kubernetes-types/core/v1.js';
import { isBestEffort } from '../../api/quota/pod-usage.js';
import { tolerates, type AdmitResult } from '../admission.js';
import type { PressureCondition } from './thresholds.js';

export const EVICTED_REASON = 'Evicted';
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
const MEMORY_PRESSURE_TAINT = { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' as const };

/** kubelettypes.IsCriticalPod: static and mirror pods, and pods of system-critical priority. */
export function isCriticalPod(pod: Pod): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  const source = annotations['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  if (annotations['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** Whether a node with `conditions` (in the kubelet's order) admits `pod`. */
export function admitUnderPressure(pod: Pod, conditions: readonly PressureCondition[]): AdmitResult {
  if (conditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (conditions.length === 1 && conditions[0] === 'MemoryPressure') {
    if (!isBestEffort(pod)) return { admit: true };
    if ((pod.spec?.tolerations ?? []).some((t) => tolerates(t, MEMORY_PRESSURE_TAINT))) return { admit: true };
  }
  return { admit: false, reason: EVICTED_REASON, message: `The node had condition: [${conditions.join(' ')}]. ` };
}
