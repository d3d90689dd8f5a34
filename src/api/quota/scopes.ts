// Quota scopes (pkg/quota/v1/evaluator/core/pods.go podMatchesScopeFunc): which pods a ResourceQuota
// with spec.scopes and spec.scopeSelector tracks. Every scope must match; only pods can match a
// scoped quota (other kinds have no scopes).

import type { Pod, ResourceQuota, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1.js';
import { isBestEffort } from './pod-usage.js';

/** The quota's scopes and scope selector as one list of requirements (getScopeSelectorsFromQuota). */
export function quotaScopeRequirements(rq: ResourceQuota): ScopedResourceSelectorRequirement[] {
  const out: ScopedResourceSelectorRequirement[] = (rq.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' }));
  out.push(...(rq.spec?.scopeSelector?.matchExpressions ?? []));
  return out;
}

function hasCrossNamespaceAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  const terms = [
    ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm),
    ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm),
  ];
  return terms.some((t) => (t.namespaces ?? []).length > 0 || !!t.namespaceSelector);
}

function podMatchesRequirement(pod: Pod, req: ScopedResourceSelectorRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null && pod.spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return !(pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null && pod.spec.activeDeadlineSeconds >= 0);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return hasCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      const values = req.values ?? [];
      switch (req.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return pc === '';
        case 'In':
          return values.includes(pc);
        case 'NotIn':
          return !values.includes(pc);
        default:
          return false;
      }
    }
    default:
      return false;
  }
}

/** Whether the quota's scopes select this object (a pod, or any other kind when there are none). */
export function quotaScopesMatch(rq: ResourceQuota, isPod: boolean, obj: unknown): boolean {
  const reqs = quotaScopeRequirements(rq);
  if (reqs.length === 0) return true;
  if (!isPod) return false;
  return reqs.every((r) => podMatchesRequirement(obj as Pod, r));
}
