// The HPA's replica calculation for Resource metrics (pkg/controller/podautoscaler/
// replica_calculator.go): pods are grouped — deleted, failed and pending ones ignored; ones
// without a metric missing; for cpu, ones not (yet) ready or inside their initialization period
// unready — and the usage ratio (utilization against requests, or average value against the
// target) decides. Within the tolerance nothing changes; on a scale-down missing pods count as
// using 100 % (or the target), on a scale-up as 0 %, unready pods as 0 % on a scale-up; a
// recomputed ratio that flips direction or lands within tolerance keeps the current count.
// Values are in milli-units, as Kubernetes' MilliValue.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import { parseTime } from '../../api/meta.js';

export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30_000;

export interface PodMetric {
  /** Milli-units (millicores for cpu, milli-bytes for memory). */
  value: number;
  timestampMs: number;
  windowMs: number;
}

export type ResourceTarget = { type: 'Utilization'; percent: number } | { type: 'AverageValue'; milli: number };

export interface ReplicaCalcInput {
  currentReplicas: number;
  resource: string;
  target: ResourceTarget;
  pods: readonly Pod[];
  /** By pod name. */
  metrics: ReadonlyMap<string, PodMetric>;
  nowMs: number;
  tolerance?: number;
}

export interface ReplicaCalcResult {
  replicas: number;
  /** Average utilization in percent (Utilization targets). */
  utilization?: number;
  /** Average usage per pod, milli-units. */
  rawAverage: number;
  timestampMs: number;
}

export class ReplicaCalcError extends Error {}

function readyCondition(pod: Pod) {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

/** groupPods. */
function groupPods(pods: readonly Pod[], metrics: ReadonlyMap<string, PodMetric>, resource: string, nowMs: number) {
  let ready = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp || phase === 'Failed' || phase === 'Pending' || phase === undefined) {
      ignored.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = readyCondition(pod);
      const start = parseTime(pod.status?.startTime ?? undefined);
      let isUnready: boolean;
      if (!cond || start === undefined) isUnready = true;
      else {
        const transition = parseTime(cond.lastTransitionTime ?? undefined) ?? 0;
        if (start + CPU_INITIALIZATION_PERIOD_MS > nowMs) isUnready = cond.status === 'False' || metric.timestampMs < transition + metric.windowMs;
        else isUnready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > transition;
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    ready++;
  }
  return { ready, unready, missing, ignored };
}

/** calculatePodRequests: each pod's summed container requests for the resource, milli-units. */
export function podRequests(pods: readonly Pod[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const r = c.resources?.requests?.[resource];
      if (r === undefined) throw new ReplicaCalcError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`);
      sum += Quantity.fromJSON(r).milliValue();
    }
    out.set(pod.metadata?.name ?? '', sum);
  }
  return out;
}

/** The usage ratio of the metrics: utilization/target, or average/target. */
function usageRatio(metrics: Map<string, number>, requests: Map<string, number> | undefined, target: ResourceTarget): { ratio: number; utilization?: number; raw: number } {
  if (target.type === 'Utilization') {
    let total = 0;
    let requested = 0;
    let n = 0;
    for (const [name, v] of metrics) {
      const r = requests!.get(name);
      if (r === undefined) continue;
      total += v;
      requested += r;
      n++;
    }
    if (requested === 0) throw new ReplicaCalcError('no metrics returned matched known pods');
    const utilization = Math.trunc((total * 100) / requested);
    return { ratio: utilization / target.percent, utilization, raw: Math.trunc(total / n) };
  }
  let total = 0;
  for (const v of metrics.values()) total += v;
  const avg = total / metrics.size;
  return { ratio: avg / target.milli, raw: Math.trunc(avg) };
}

/** GetResourceReplicas / GetRawResourceReplicas. */
export function calculateResourceReplicas(input: ReplicaCalcInput): ReplicaCalcResult {
  const { currentReplicas, resource, target, pods, nowMs } = input;
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const { ready, unready, missing, ignored } = groupPods(pods, input.metrics, resource, nowMs);
  const metrics = new Map<string, number>();
  let timestampMs = 0;
  for (const [name, m] of input.metrics) {
    if (ignored.has(name) || unready.has(name) || !pods.some((p) => p.metadata?.name === name)) continue;
    metrics.set(name, m.value);
    timestampMs = Math.max(timestampMs, m.timestampMs);
  }
  const requests = target.type === 'Utilization' ? podRequests(pods, resource) : undefined;
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const first = usageRatio(metrics, requests, target);
  const result = (replicas: number): ReplicaCalcResult => ({ replicas, utilization: first.utilization, rawAverage: first.raw, timestampMs });

  const scaleUpWithUnready = unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= tolerance) return result(currentReplicas);
    return result(Math.ceil(first.ratio * ready));
  }
  if (missing.size > 0) {
    for (const name of missing) {
      if (first.ratio < 1) {
        metrics.set(name, target.type === 'Utilization' ? Math.trunc(((requests!.get(name) ?? 0) * Math.max(100, target.percent)) / 100) : target.milli);
      } else if (first.ratio > 1) metrics.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const next = usageRatio(metrics, requests, target).ratio;
  if (Math.abs(1 - next) <= tolerance || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}
