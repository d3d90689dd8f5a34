// applyMergePatch: RFC 7386 JSON Merge Patch (application/merge-patch+json) as Kubernetes applies
// it through evanphx/json-patch v4: objects merge recursively, null deletes a member, anything
// else (arrays included) replaces. A null, scalar or unparsable patch is 400 "Invalid JSON Patch".
//
// json-patch v4 details kept: a value that lands where there was no object has its null members
// pruned recursively, also inside arrays (a fresh array's null elements stay); a top-level array
// patch replaces the whole document. The result may therefore not be an object; callers decoding
// it into a resource report that themselves.

import { type JsonObject, type JsonValue, cloneJson, getMember, isJsonObject, setMember } from './json-value.js';
import { badRequest } from './patch-error.js';

export function applyMergePatch(doc: JsonValue, patch: JsonValue): JsonValue {
  if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
  const p = cloneJson(patch);
  if (!isJsonObject(doc)) return pruneNulls(p);
  const target = cloneJson(doc);
  mergeObjects(target, p);
  return target;
}

function mergeObjects(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      continue;
    }
    const cur = getMember(target, key);
    if (cur === undefined || cur === null) {
      setMember(target, key, pruneNulls(value));
    } else {
      setMember(target, key, mergeValue(cur, value));
    }
  }
}

function mergeValue(cur: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(cur)) return pruneNulls(patch);
  if (!isJsonObject(patch)) return patch;
  mergeObjects(cur, patch);
  return cur;
}

/** Drops null members of objects, recursively, also inside arrays (not null array elements). */
function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) {
    for (const e of v) if (e !== null) pruneNulls(e);
  } else if (isJsonObject(v)) {
    for (const [k, e] of Object.entries(v)) {
      if (e === null) delete v[k];
      else pruneNulls(e);
    }
  }
  return v;
}
