// Element order of merged lists in strategic merge patch (Kubernetes' normalizeElementOrder):
// items named by the patch (or its $setElementOrder list) take the patch's order, items only on
// the server keep their live order, and the two runs are interleaved by live position.

import { type JsonObject, type JsonValue, describeJson, getMember, hasOwn, isJsonObject } from './json-value.js';
import { internalPatchError } from './patch-error.js';

/** How list items are identified: by a merge key (lists of maps) or by value (primitives). */
export interface ItemIdentity {
  /** '' for primitive lists. */
  mergeKey: string;
  /** True when the list holds maps. */
  maps: boolean;
}

export function noMergeKeyError(m: JsonObject, mergeKey: string): Error {
  return internalPatchError(`map: ${describeJson(m)} does not contain declared merge key: ${mergeKey}`);
}

export function badArgType(expected: string, actual: JsonValue | undefined): Error {
  return internalPatchError(`expected a ${expected}, but received a ${describeJson(actual)}`);
}

function idOf(item: JsonValue, id: ItemIdentity): JsonValue | undefined {
  if (!id.maps) return item;
  return isJsonObject(item) ? getMember(item, id.mergeKey) : undefined;
}

/** Position of item in list by identity, or -1. */
export function indexOfItem(list: readonly JsonValue[], item: JsonValue, id: ItemIdentity): number {
  const want = idOf(item, id);
  return list.findIndex((v) => idOf(v, id) === want);
}

/** Splits list into items present in `by` (by identity) and the rest, keeping order. */
export function partitionByPresence(
  list: readonly JsonValue[],
  by: readonly JsonValue[],
  id: ItemIdentity,
): { present: JsonValue[]; absent: JsonValue[] } {
  const present: JsonValue[] = [];
  const absent: JsonValue[] = [];
  for (const v of list) {
    if (id.maps) {
      if (!isJsonObject(v)) throw badArgType('map', v);
      if (!hasOwn(v, id.mergeKey)) throw noMergeKeyError(v, id.mergeKey);
      const key = v[id.mergeKey];
      const found = by.some((b) => {
        if (!isJsonObject(b)) throw internalPatchError(`value for key ${describeJson(b)} is not a map`);
        return hasOwn(b, id.mergeKey) && b[id.mergeKey] === key;
      });
      (found ? present : absent).push(v);
    } else {
      (by.some((b) => b === v) ? present : absent).push(v);
    }
  }
  return { present, absent };
}

function validateMergeKeys(mergeKey: string, ...lists: (readonly JsonValue[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw badArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
    }
  }
}

/** Go's insertion sort (sort.SliceStable on short lists) with Kubernetes' "less" for orders. */
function sortByOrder(items: JsonValue[], order: readonly JsonValue[], id: ItemIdentity): void {
  const less = (a: JsonValue, b: JsonValue): boolean => {
    const ia = indexOfItem(order, a, id);
    if (ia < 0) return true;
    const ib = indexOfItem(order, b, id);
    return ib < 0 ? true : ia < ib;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j] as JsonValue, items[j - 1] as JsonValue); j--) {
      const t = items[j] as JsonValue;
      items[j] = items[j - 1] as JsonValue;
      items[j - 1] = t;
    }
  }
}

/** Sorts toSort by order; map items marked `$patch: delete` go last, unsorted. */
function normalizeSliceOrder(toSort: readonly JsonValue[], order: readonly JsonValue[], id: ItemIdentity): JsonValue[] {
  let keep = [...toSort];
  let deletes: JsonValue[] = [];
  if (id.maps) {
    validateMergeKeys(id.mergeKey, toSort, order);
    keep = toSort.filter((v) => !isDeleteItem(v));
    deletes = toSort.filter((v) => isDeleteItem(v));
  }
  sortByOrder(keep, order, id);
  return [...keep, ...deletes];
}

function isDeleteItem(v: JsonValue): boolean {
  return isJsonObject(v) && getMember(v, '$patch') === 'delete';
}

/**
 * Orders patch items by patchOrder and server-only items by serverOrder, then interleaves them:
 * a server-only item goes first only when both are in serverOrder and it comes earlier there.
 */
export function normalizeElementOrder(
  patchItems: readonly JsonValue[],
  serverOnly: readonly JsonValue[],
  patchOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  id: ItemIdentity,
): JsonValue[] {
  const right = normalizeSliceOrder(patchItems, patchOrder, id);
  const left = normalizeSliceOrder(serverOnly, serverOrder, id);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++] as JsonValue);
    else if (j >= right.length) out.push(left[i++] as JsonValue);
    else {
      const li = indexOfItem(serverOrder, left[i] as JsonValue, id);
      const ri = indexOfItem(serverOrder, right[j] as JsonValue, id);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as JsonValue);
      else out.push(right[j++] as JsonValue);
    }
  }
  return out;
}
