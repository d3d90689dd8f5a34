// ResourceList arithmetic for quota (pkg/quota/v1/resources.go): lists of named quantities as they
// appear in ResourceQuota hard/used and container requests/limits — add, max, mask, compare, and
// the "name=value,…" form quota messages print.

import { Quantity } from '../quantity.js';

/** A resource name → quantity map, as stored (quantities as strings). */
export type ResourceList = Record<string, string>;

const q = (v: string | undefined): Quantity => (v === undefined ? Quantity.of(0) : Quantity.fromJSON(v));

/** a + b, per name. */
export function addLists(a: ResourceList, b: ResourceList | undefined): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, v] of Object.entries(b ?? {})) out[name] = name in a ? q(a[name]).add(q(v)).toString() : q(v).toString();
  return out;
}

/** a − b, per name of a and b. */
export function subtractLists(a: ResourceList, b: ResourceList | undefined): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, v] of Object.entries(b ?? {})) out[name] = q(a[name]).sub(q(v)).toString();
  return out;
}

/** a − b per name of a, never below zero (quota.SubtractWithNonNegativeResult): what an update adds. */
export function subtractNonNegative(a: ResourceList, b: ResourceList | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [name, v] of Object.entries(a)) {
    const d = q(v).sub(q(b?.[name]));
    out[name] = (d.cmp(Quantity.of(0)) > 0 ? d : Quantity.of(0)).toString();
  }
  return out;
}

/** The larger of a and b, per name. */
export function maxLists(a: ResourceList, b: ResourceList | undefined): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, v] of Object.entries(b ?? {})) if (!(name in a) || q(v).cmp(q(a[name])) > 0) out[name] = q(v).toString();
  return out;
}

/** Only the given names of the list. */
export function maskList(list: ResourceList | undefined, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const name of names) if (list && name in list) out[name] = list[name]!;
  return out;
}

/** Whether a ≤ b for every name both hold; returns the names where a exceeds b, sorted. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded = Object.keys(a)
    .filter((name) => name in b && q(a[name]).cmp(q(b[name])) > 0)
    .sort();
  return { ok: exceeded.length === 0, exceeded };
}

/** Equal as quantities, name for name. */
export function listsEqual(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  return ka.every((name) => b !== undefined && name in b && q(a![name]).equal(q(b[name])));
}

/** True when every quantity is zero. */
export function isZeroList(list: ResourceList): boolean {
  return Object.values(list).every((v) => q(v).isZero());
}

/** "a=1,b=2", sorted by name (the quota admission plugin's prettyPrint). */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((name) => `${name}=${q(list[name]).toString()}`)
    .join(',');
}
