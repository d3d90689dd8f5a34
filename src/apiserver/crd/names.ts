// apiextensions-apiserver's naming controller, as pure functions: which of a CRD's requested
// names (plural, singular, short names, kind, list kind) are already in use in its group, the
// accepted names that follow, and the NamesAccepted / Established conditions.

import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
} from 'kubernetes-types/apiextensions/v1.js';

type CRD = CustomResourceDefinition;

/** Names already taken in a group: resource names (plural, singular, short) and kinds (kind, list kind). */
export interface TakenNames {
  resources: Set<string>;
  kinds: Set<string>;
}

export interface NamingResult {
  /** The names to record in status.acceptedNames. */
  accepted: CustomResourceDefinitionNames;
  /** Whether every requested name is accepted. */
  allAccepted: boolean;
  reason: string;
  message: string;
}

/** Requested names with their defaults (singular: lower-case kind; listKind: kind + "List"). */
export function requestedNames(crd: CRD): CustomResourceDefinitionNames {
  const n = crd.spec.names;
  const out: CustomResourceDefinitionNames = {
    plural: n.plural,
    singular: n.singular || n.kind.toLowerCase(),
    kind: n.kind,
    listKind: n.listKind || `${n.kind}List`,
  };
  if (n.shortNames?.length) out.shortNames = [...n.shortNames];
  if (n.categories?.length) out.categories = [...n.categories];
  return out;
}

/** The naming controller's decision: each conflicting name keeps its previously accepted value. */
export function acceptNames(crd: CRD, taken: TakenNames): NamingResult {
  const req = requestedNames(crd);
  const old = crd.status?.acceptedNames;
  const accepted: CustomResourceDefinitionNames = { ...req };
  let reason = 'NoConflicts';
  let message = 'no conflicts found';
  const conflict = (r: string, name: string) => {
    if (reason === 'NoConflicts') {
      reason = r;
      message = `${JSON.stringify(name)} is already in use`;
    }
  };
  if (taken.resources.has(req.plural)) {
    conflict('PluralConflict', req.plural);
    accepted.plural = old?.plural ?? '';
  }
  if (req.singular && taken.resources.has(req.singular)) {
    conflict('SingularConflict', req.singular);
    accepted.singular = old?.singular ?? '';
  }
  const badShort = (req.shortNames ?? []).find((s) => taken.resources.has(s));
  if (badShort) {
    conflict('ShortNamesConflict', badShort);
    if (old?.shortNames) accepted.shortNames = old.shortNames;
    else delete accepted.shortNames;
  }
  if (taken.kinds.has(req.kind)) {
    conflict('KindConflict', req.kind);
    accepted.kind = old?.kind ?? '';
  }
  if (req.listKind && taken.kinds.has(req.listKind)) {
    conflict('ListKindConflict', req.listKind);
    accepted.listKind = old?.listKind ?? '';
  }
  return { accepted, allAccepted: reason === 'NoConflicts', reason, message };
}

/** Sets (or replaces) a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(
  conditions: CustomResourceDefinitionCondition[],
  cond: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>,
  now: string,
): CustomResourceDefinitionCondition[] {
  const out = conditions.filter((c) => c.type !== cond.type);
  const prev = conditions.find((c) => c.type === cond.type);
  const lastTransitionTime = prev && prev.status === cond.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
  const next = { type: cond.type, status: cond.status, lastTransitionTime, reason: cond.reason, message: cond.message };
  const index = conditions.findIndex((c) => c.type === cond.type);
  if (index < 0) out.push(next);
  else out.splice(index, 0, next);
  return out;
}

export function conditionTrue(crd: CRD, type: string): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
