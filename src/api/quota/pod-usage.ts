// The pod quota evaluator (pkg/quota/v1/evaluator/core/pods.go): what a pod is charged — `pods`
// and the compute resources (requests, limits; the max of the sum of app containers and the
// largest init container, plus overhead) while it is not terminal, `count/pods` always — which
// quota resource names concern pods, and the constraint that a quota on cpu or memory makes every
// container state that resource ("must specify limits.cpu for: c").

import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseTime } from '../meta.js';
import { addLists, maxLists, type ResourceList } from './resource-list.js';

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
/** The quota names the pod evaluator answers for (besides requests.<extended> and hugepages). */
export const POD_RESOURCES = new Set([
  'pods',
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
/** Resources every container must state when a quota constrains them (validationSet). */
const VALIDATED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

export function isPodResource(name: string): boolean {
  return POD_RESOURCES.has(name) || name.startsWith('requests.') || name.startsWith('hugepages-');
}

/** QuotaV1Pod: terminal pods, and pods past their deletion grace period, are not charged compute. */
export function isQuotaChargeable(pod: Pod, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = parseTime(pod.metadata?.deletionTimestamp);
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion !== undefined && grace !== undefined && grace !== null && nowMs > deletion + grace * 1000) return false;
  return true;
}

const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

/** podComputeUsageHelper: the quota names a set of requests and limits charges. */
export function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: '1' };
  for (const name of COMPUTE) {
    if (requests[name] !== undefined) {
      out[name] = requests[name];
      out[`requests.${name}`] = requests[name];
    }
    if (limits[name] !== undefined) out[`limits.${name}`] = limits[name];
  }
  for (const [name, v] of Object.entries(requests)) {
    if (name.startsWith('hugepages-')) {
      out[name] = v;
      out[`requests.${name}`] = v;
    } else if (isExtended(name)) out[`requests.${name}`] = v;
  }
  return out;
}

const listOf = (r: Record<string, unknown> | undefined): ResourceList => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, String(v)]));

/** A pod's effective requests and limits (app containers summed, init containers as a max, plus overhead). */
export function podRequestsAndLimits(pod: Pod): { requests: ResourceList; limits: ResourceList } {
  let requests: ResourceList = {};
  let limits: ResourceList = {};
  for (const c of pod.spec?.containers ?? []) {
    requests = addLists(requests, listOf(c.resources?.requests));
    limits = addLists(limits, listOf(c.resources?.limits));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    requests = maxLists(requests, listOf(c.resources?.requests));
    limits = maxLists(limits, listOf(c.resources?.limits));
  }
  const overhead = listOf(pod.spec?.overhead);
  return { requests: addLists(requests, overhead), limits: addLists(limits, overhead) };
}

/** PodUsageFunc: count/pods always; pods and compute only while the pod is chargeable. */
export function podUsage(pod: Pod, nowMs: number): ResourceList {
  const out: ResourceList = { 'count/pods': '1' };
  if (!isQuotaChargeable(pod, nowMs)) return out;
  const { requests, limits } = podRequestsAndLimits(pod);
  return { ...out, ...computeUsage(requests, limits) };
}

/** The pod's QoS class is BestEffort: no container requests or limits cpu or memory. */
export function isBestEffort(pod: Pod): boolean {
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) => ['cpu', 'memory'].every((r) => c.resources?.requests?.[r] === undefined && c.resources?.limits?.[r] === undefined));
}

/**
 * podEvaluator.Constraints: every container (init containers too) must state each cpu/memory
 * resource a matching quota limits. Undefined when satisfied, else "must specify …".
 */
export function podConstraintViolation(pod: Pod, required: Iterable<string>): string | undefined {
  const needed = [...required].filter((r) => VALIDATED.has(r));
  if (needed.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = computeUsage(listOf(c.resources?.requests), listOf(c.resources?.limits));
    for (const r of needed) if (has[r] === undefined) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name);
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
