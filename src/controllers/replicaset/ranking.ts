// Which pods a ReplicaSet deletes first when it scales down (controller.ActivePodsWithRanks with
// the LogarithmicScaleDown and PodDeletionCost gates on, as in Kubernetes 1.32): unassigned before
// assigned; Pending before Unknown before Running; not ready before ready; lower
// controller.kubernetes.io/pod-deletion-cost first; pods on nodes with more related replicas
// first; shorter ready time first (log2 buckets); more container restarts first; newer first
// (log2 buckets), ties broken by UID.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseTime } from '../../api/meta.js';
import { isPodActive, isPodReady, podReadyCondition } from '../framework/pods.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

export interface RankedPod {
  pod: Pod;
  /** Related active pods on the same node (more: deleted first). */
  rank: number;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** floor(log2(now - t)) with durations in nanoseconds, as Go's logarithmicRankDiff; -1 when t is not in the past. */
function logRank(t: number, nowMs: number): number {
  const d = (nowMs - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Compares two timestamps: later (or missing) first; in log2 buckets of age when `now` is known. */
function compareTimes(t1: number | undefined, t2: number | undefined, nowMs: number, uid1: string, uid2: string): number {
  if (t1 === t2) return 0;
  if (t1 === undefined) return -1;
  if (t2 === undefined) return 1;
  const diff = logRank(t1, nowMs) - logRank(t2, nowMs);
  if (diff !== 0) return diff;
  return uid1 < uid2 ? -1 : uid1 > uid2 ? 1 : 0;
}

/** Negative when a should be deleted before b. */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const ua = pa.metadata?.uid ?? '';
  const ub = pb.metadata?.uid ?? '';
  if (ra && rb) {
    const c = compareTimes(parseTime(podReadyCondition(pa)?.lastTransitionTime), parseTime(podReadyCondition(pb)?.lastTransitionTime), nowMs, ua, ub);
    if (c !== 0) return c;
  }
  const ka = maxRestarts(pa);
  const kb = maxRestarts(pb);
  if (ka !== kb) return kb - ka;
  return compareTimes(parseTime(pa.metadata?.creationTimestamp), parseTime(pb.metadata?.creationTimestamp), nowMs, ua, ub);
}

/** getPodsRankedByRelatedPodsOnSameNode: ranks each pod by the related active pods on its node. */
export function rankByRelatedPodsOnNode(pods: readonly Pod[], related: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** getPodsToDelete: the `count` pods to delete first. */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, nowMs: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const ranked = rankByRelatedPodsOnNode(pods, related);
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, count).map((r) => r.pod);
}
