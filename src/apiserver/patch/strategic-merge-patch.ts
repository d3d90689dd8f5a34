// applyStrategicMergePatch: Kubernetes' strategic merge patch (application/strategic-merge-patch+json),
// following apimachinery's strategicpatch.StrategicMergeMapPatch as the API server runs it
// (parallel lists merged, unmatched nulls ignored). Besides JSON merge patch semantics:
//   - lists whose field has patch strategy "merge" merge: maps by their merge key, primitives as
//     an ordered union; other lists are replaced wholesale;
//   - `$patch: replace | delete` on a map, `$patch: delete | replace` on list items;
//   - `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`, `$retainKeys`;
//   - the order of merged lists follows the patch (or $setElementOrder), then the live object.

import { type JsonObject, type JsonValue, cloneJson, describeJson, getMember, hasOwn, isJsonObject, jsonKind, setMember } from './json-value.js';
import { NO_PATCH_META, type PatchMeta } from './patch-meta.js';
import { badRequest, internalPatchError, invalidPatch } from './patch-error.js';
import {
  type ItemIdentity,
  badArgType,
  noMergeKeyError,
  normalizeElementOrder,
  partitionByPresence,
} from './smp-list-order.js';
import { GoSlice } from './go-slice.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_LIST_OF_LISTS = 'lists of lists are not supported';

/** Applies patch to a copy of doc; meta gives list strategies and merge keys (none by default). */
export function applyStrategicMergePatch(doc: JsonValue, patch: JsonValue, meta: PatchMeta = NO_PATCH_META): JsonObject {
  if (!isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (!isJsonObject(doc)) throw badRequest('invalid JSON document');
  return mergeMap(cloneJson(doc), cloneJson(patch), meta);
}

function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, meta);

  for (const [patchKey, patchV] of Object.entries(patch)) {
    let key = patchKey;
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    if (isDeleteList) key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST, ERR_PRIMITIVE_LIST);

    if (patchV === null) {
      delete original[key];
      continue;
    }
    const cur = getMember(original, key);
    if (cur === undefined || jsonKind(cur) !== jsonKind(patchV)) {
      // A new value (or a change of type) is taken from the patch, minus nulls and directives.
      if (!isDeleteList) {
        discardNulls(patchV);
        const cleaned = removeDirectives(patchV);
        if (cleaned === undefined) delete original[key];
        else setMember(original, key, cleaned);
      }
      continue;
    }
    if (isJsonObject(cur) && isJsonObject(patchV)) {
      const { strategy } = fieldStrategy(meta, key);
      setMember(original, key, strategy === 'replace' ? patchV : mergeMap(cur, patchV, meta.child(key)));
    } else if (Array.isArray(cur) && Array.isArray(patchV)) {
      const { strategy, mergeKey } = fieldStrategy(meta, key);
      const merged =
        strategy === 'merge' || isDeleteList
          ? mergeSlice(cur, patchV, meta.child(key), mergeKey, isDeleteList).merged
          : patchV;
      setMember(original, key, merged);
    } else {
      const cleaned = removeDirectives(patchV);
      if (cleaned === undefined) delete original[key];
      else setMember(original, key, cleaned);
    }
  }
  return original;
}

/** `$patch` on a map: replace → the patch itself; delete → an empty map. */
function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw internalPatchError(`unknown patch type: ${describeJson(directive)} in map: ${describeJson(patch)}`);
}

/** The field's list/map strategy without retainKeys (which only shapes client-side diffs). */
function fieldStrategy(meta: PatchMeta, key: string): { strategy: string; mergeKey: string } {
  const fm = meta.field(key);
  const parts = (fm.strategy ?? '').split(',').filter((s) => s !== '' && s !== 'retainKeys');
  if (parts.length > 1) throw internalPatchError(`unexpected patch strategy: ${fm.strategy ?? ''}`);
  return { strategy: parts[0] ?? '', mergeKey: fm.mergeKey ?? '' };
}

/** "$prefix/field" → "field"; a malformed directive key is a 400. */
function extractKey(key: string, prefix: string, error: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(error);
  return key.slice(slash + 1);
}

/** `$retainKeys`: every non-null patch field must be listed; live fields not listed are cleared. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(ERR_RETAIN_KEYS);
  const retained = new Set<JsonValue>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) throw badRequest(ERR_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

/** Processes each `$setElementOrder/<field>` together with the patch's <field> list. */
function applySetElementOrder(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey] as JsonValue;
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badArgType('list', order);
    const key = extractKey(directiveKey, SET_ELEMENT_ORDER, ERR_SET_ELEMENT_ORDER);

    const foundOriginal = hasOwn(original, key);
    const foundPatch = hasOwn(patch, key);
    const originalList = listOrThrow(foundOriginal ? original[key] : []);
    const patchList = listOrThrow(foundPatch ? patch[key] : []);
    const { strategy, mergeKey } = fieldStrategy(meta, key);
    validateAgainstOrder(patchList, order, mergeKey);

    let merged: JsonValue[];
    // The live order to fall back on; see MergedList.liveView for why it can differ from the list.
    let liveOrder = originalList;
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = (removeDirectives(patchList) as JsonValue[] | undefined) ?? [];
    else if (foundOriginal && foundPatch) {
      if (strategy === 'merge') {
        const result = mergeSlice(originalList, patchList, meta.child(key), mergeKey, false);
        merged = result.merged;
        liveOrder = result.liveView;
      } else merged = patchList;
    } else continue;

    const id: ItemIdentity = { mergeKey, maps: mergeKey !== '' };
    const { present, absent } = partitionByPresence(merged, order, id);
    id.maps = elementKind(originalList, patchList) === 'object';
    setMember(original, key, normalizeElementOrder(present, absent, order, liveOrder, id));
    delete patch[key];
  }
}

function listOrThrow(v: JsonValue | undefined): JsonValue[] {
  if (!Array.isArray(v)) throw badArgType('list', v);
  return v;
}

/** Items of the patch list (deletions and directives aside) must appear in $setElementOrder's order. */
function validateAgainstOrder(patchList: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    for (const v of patchList) if (!isJsonObject(v)) throw badArgType('map', v);
    items = patchList.filter((v) => !(isJsonObject(v) && getMember(v, DIRECTIVE) === 'delete'));
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p] as JsonValue;
    if (isJsonObject(item) && hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[o] as JsonValue, mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw internalPatchError(
      `The order in patch list:\n${describeJson(patchList as JsonValue[])}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${describeJson(order as JsonValue[])}\n`,
    );
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isJsonObject(left)) throw badArgType('map', left);
  if (!isJsonObject(right)) throw badArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw noMergeKeyError(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKeyError(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** The common kind of all elements; lists of lists and mixed kinds are refused as in Kubernetes. */
function elementKind(...lists: (readonly JsonValue[])[]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = jsonKind(v);
      if (kind === undefined) {
        if (k === 'array') throw invalidPatch(ERR_LIST_OF_LISTS);
        kind = k;
      } else if (k !== kind) {
        throw internalPatchError(`list element types are not identical: ${describeJson(lists as JsonValue[][])}`);
      }
    }
  }
  if (kind === undefined) throw internalPatchError('no elements in any of the given slices');
  return kind;
}

/**
 * A merged list, plus the live list as Kubernetes sees it afterwards. Go merges in place: removing
 * `$patch: delete` items shifts the live slice's backing array left, and new items are appended
 * into the freed slots. apimachinery then orders `$setElementOrder` lists against that backing
 * array, so to give the same order we replay those writes on liveView (same length as the live list).
 */
interface MergedList {
  merged: JsonValue[];
  liveView: JsonValue[];
}

function mergeSlice(
  original: JsonValue[],
  patch: JsonValue[],
  itemMeta: PatchMeta,
  mergeKey: string,
  isDeleteList: boolean,
): MergedList {
  if (original.length === 0 && patch.length === 0) return { merged: original, liveView: original };
  const maps = elementKind(original, patch) === 'object';
  if (!maps) {
    if (isDeleteList) return { merged: original.filter((v) => !patch.includes(v)), liveView: original };
    const merged = dedupe([...original, ...patch]);
    return { merged: orderMerged(merged, patch, original, { mergeKey, maps }), liveView: original };
  }
  if (mergeKey === '') throw internalPatchError('cannot merge lists without merge key for Struct');
  const live = new GoSlice(original);
  const plain = applyListItemDirectives(live, patch, mergeKey);
  const base = live.items();
  mergeMapItems(live, plain, mergeKey, itemMeta);
  return { merged: orderMerged(live.items(), plain, base, { mergeKey, maps }), liveView: live.view };
}

/** Patch items in patch order, interleaved with live-only items in live order. */
function orderMerged(merged: JsonValue[], patchItems: JsonValue[], live: JsonValue[], id: ItemIdentity): JsonValue[] {
  const { present, absent } = partitionByPresence(merged, patchItems, { mergeKey: id.mergeKey, maps: id.mergeKey !== '' });
  return normalizeElementOrder(present, absent, patchItems, live, id);
}

function dedupe(list: readonly JsonValue[]): JsonValue[] {
  const out: JsonValue[] = [];
  for (const v of list) if (!out.includes(v)) out.push(v);
  return out;
}

function findByMergeKey(list: readonly JsonValue[], mergeKey: string, value: JsonValue): number {
  return list.findIndex((o) => {
    if (!isJsonObject(o)) throw internalPatchError(`value for key ${describeJson(o)} is not a map`);
    return hasOwn(o, mergeKey) && o[mergeKey] === value;
  });
}

/**
 * Handles list items carrying `$patch`: delete removes the live items with that merge key;
 * replace makes the other patch items the whole list. Returns the remaining plain patch items.
 */
function applyListItemDirectives(live: GoSlice, patch: readonly JsonValue[], mergeKey: string): JsonValue[] {
  const plain: JsonValue[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
      const value = item[mergeKey] as JsonValue;
      for (let at = findByMergeKey(live.items(), mergeKey, value); at >= 0; at = findByMergeKey(live.items(), mergeKey, value)) {
        live.removeAt(at);
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internalPatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw internalPatchError(`unknown patch type: ${describeJson(directive)} in map: ${describeJson(item)}`);
    }
  }
  if (!replace) return plain;
  live.reset(plain);
  return [];
}

/** Merges each patch item into the live item with the same merge key, or appends it. */
function mergeMapItems(live: GoSlice, patch: readonly JsonValue[], mergeKey: string, itemMeta: PatchMeta): void {
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
    const at = findByMergeKey(live.items(), mergeKey, item[mergeKey] as JsonValue);
    if (at >= 0) live.setAt(at, mergeMap(live.items()[at] as JsonObject, item, itemMeta));
    else live.push(item);
  }
}

/** Drops null members of maps, recursively (a new value has nothing for them to delete). */
function discardNulls(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const e of v) discardNulls(e);
  } else if (isJsonObject(v)) {
    for (const [k, e] of Object.entries(v)) {
      if (e === null) delete v[k];
      else discardNulls(e);
    }
  }
}

/** Strips directive-bearing maps out of a value; undefined when the value itself is one. */
function removeDirectives(v: JsonValue): JsonValue | undefined {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const e of v) {
      const kept = removeDirectives(e);
      if (kept !== undefined) out.push(kept);
    }
    return out;
  }
  if (isJsonObject(v)) {
    if (hasOwn(v, DIRECTIVE)) return undefined;
    for (const [k, e] of Object.entries(v)) {
      const kept = removeDirectives(e);
      if (kept === undefined) delete v[k];
      else setMember(v, k, kept);
    }
  }
  return v;
}
