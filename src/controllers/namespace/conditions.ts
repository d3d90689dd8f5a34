// The namespace deleter's status conditions (namespace/deletion/status_condition_utils.go): five
// condition types, each False with its "ok" reason and message unless the last pass found a
// problem of that kind.

import type { NamespaceCondition } from 'kubernetes-types/core/v1.js';

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

export interface DeletionProblems {
  /** "group/version: why", for groups discovery could not read. */
  discoveryFailures: string[];
  groupVersionParsingFailures: string[];
  /** One message per resource whose content could not be deleted. */
  deleteErrors: string[];
  /** "resource.group" → objects left. */
  remaining: Map<string, number>;
  /** finalizer → objects holding it. */
  finalizers: Map<string, number>;
}

export function emptyProblems(): DeletionProblems {
  return { discoveryFailures: [], groupVersionParsingFailures: [], deleteErrors: [], remaining: new Map(), finalizers: new Map() };
}

/** The failing conditions the problems call for (the others are set to their ok variant). */
function failing(p: DeletionProblems): Partial<Record<NamespaceConditionType, { reason: string; message: string }>> {
  const out: Partial<Record<NamespaceConditionType, { reason: string; message: string }>> = {};
  if (p.discoveryFailures.length > 0) {
    out.NamespaceDeletionDiscoveryFailure = {
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${p.discoveryFailures.length} failing: unable to retrieve the complete list of server APIs: ${[...p.discoveryFailures].sort().join(', ')}`,
    };
  }
  if (p.groupVersionParsingFailures.length > 0) {
    out.NamespaceDeletionGroupVersionParsingFailure = { reason: 'GroupVersionParsingFailed', message: p.groupVersionParsingFailures.join(', ') };
  }
  if (p.deleteErrors.length > 0) {
    const msgs = [...p.deleteErrors].sort();
    out.NamespaceDeletionContentFailure = { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}` };
  }
  const remaining = [...p.remaining].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (remaining.length > 0) out.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` };
  const finalizers = [...p.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (finalizers.length > 0) {
    out.NamespaceFinalizersRemaining = { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}` };
  }
  return out;
}

/** The conditions after a deletion pass; `changed` is false when nothing differs from `current`. */
export function updateConditions(current: readonly NamespaceCondition[], problems: DeletionProblems, now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = current.map((c) => ({ ...c }));
  const bad = failing(problems);
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const want = bad[type] ? { status: 'True', ...bad[type] } : { status: 'False', ...OK[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: want.status, lastTransitionTime: now, reason: want.reason, message: want.message });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      Object.assign(old, { status: want.status, reason: want.reason, message: want.message });
      changed = true;
    }
  }
  return { conditions, changed };
}
