// The rolling-update arithmetic (deployment/util): maxSurge rounds a percentage up,
// maxUnavailable rounds it down (intstr.GetScaledValueFromIntOrPercent), and both zero means one
// unavailable (ResolveFenceposts); the new ReplicaSet's next size; and the proportional share of a
// scaling for one ReplicaSet, rounded half away from zero as Go's math.Round.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';

import { scaledValue, type IntOrString } from '../framework/int-or-percent.js';

export { scaledValue, type IntOrString };

/** ResolveFenceposts: (maxSurge, maxUnavailable) for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const replicasOf = (d: Deployment): number => d.spec?.replicas ?? 1;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** MaxSurge of a Deployment (0 unless RollingUpdate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

/** MaxUnavailable of a Deployment, at most its replicas (0 unless RollingUpdate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpec = (rss: readonly (ReplicaSet | undefined)[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: readonly (ReplicaSet | undefined)[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
  rss.reduce((n, rs) => n + (rs?.status?.[f] ?? 0), 0);

/** NewRSNewReplicas: the size the new ReplicaSet may grow to now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, replicasOf(d), true);
  const current = sumSpec(allRSs);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** Go's math.Round: half away from zero. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * getReplicaSetFraction: this ReplicaSet's share of the Deployment's new size, from the size it
 * had when the max-replicas annotation was written.
 */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment, annotatedMax: number | undefined): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = annotatedMax ?? d.status?.replicas ?? 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAwayFromZero(size) - specReplicas(rs);
}

/** GetProportion: how many replicas this ReplicaSet gains (or loses) of those still to distribute. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number, annotatedMax: number | undefined): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d, annotatedMax);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
