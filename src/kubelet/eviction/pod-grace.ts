// The grace period an evicted pod is killed with (the eviction manager's gracePeriodOverride, as
// the pod worker reads it): a hard threshold kills at once (0; Kubernetes now asks for 1 s); a
// soft one asks for min(--eviction-max-pod-grace-period, the pod's terminationGracePeriodSeconds),
// and the pod worker takes a request of 0 as none, so with the flag at 0 (its default) the pod
// gets its own grace period.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { isHard, type Threshold } from './thresholds.js';

/** Hard thresholds evict without a grace period. */
export const HARD_EVICTION_GRACE_SECONDS = 0;
/** The API server's default terminationGracePeriodSeconds. */
const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/** The seconds `pod` is given to stop when evicted for `threshold`. */
export function evictionGraceSeconds(threshold: Threshold, pod: Pod, maxPodGraceSeconds: number): number {
  if (isHard(threshold)) return HARD_EVICTION_GRACE_SECONDS;
  const own = Math.max(0, pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS);
  const requested = Math.min(maxPodGraceSeconds, own);
  return requested > 0 ? requested : own;
}
