// The arithmetic of a PodDisruptionBudget (pkg/controller/disruption): how many pods it expects
// and how many must stay healthy — minAvailable as a number counts the matching pods; a percentage
// or maxUnavailable needs the scale of the pods' controllers —, how many are healthy (Ready, not
// being deleted, not already disrupted), and so how many disruptions are allowed.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';

export interface BudgetCounts {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/** A percentage "30%" of total, rounded up (GetScaledValueFromIntOrPercent with roundUp). */
export function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${value}"`);
  }
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** Ready and not terminating, and not recorded as disrupted by an eviction not yet observed. */
export function countHealthy(pods: Pod[], disrupted: Record<string, string> | undefined): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (disrupted && (p.metadata?.name ?? '') in disrupted) continue;
    if ((p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) n++;
  }
  return n;
}

/**
 * The counts for a budget over its pods; `expectedScale()` gives the summed replicas of the pods'
 * controllers (throws when a pod has none, as Kubernetes refuses percentages then).
 */
export function budgetCounts(pdb: PodDisruptionBudget, pods: Pod[], expectedScale: () => number): BudgetCounts {
  const spec = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale();
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      expectedPods = pods.length;
      desiredHealthy = spec.minAvailable;
    } else {
      expectedPods = expectedScale();
      desiredHealthy = scaled(spec.minAvailable, expectedPods);
    }
  } else {
    expectedPods = pods.length;
    desiredHealthy = 0;
  }
  const currentHealthy = countHealthy(pods, pdb.status?.disruptedPods);
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}
