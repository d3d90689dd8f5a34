// applyJsonPatch: RFC 6902 JSON Patch (application/json-patch+json) with the semantics Kubernetes
// gets from evanphx/json-patch v4: operations apply in order to a copy of the document and the
// first failure aborts the whole patch. Error messages follow json-patch's wording.
//
// Kubernetes quirks kept on purpose (clients depend on them):
//   - `replace` of a missing object member adds it (only a missing parent or array index fails);
//   - `test` of a missing object member with value null succeeds;
//   - negative array indices count from the end; a missing `value` on add/replace means null;
//   - `replace` at path "" replaces the whole document (which must then be an object or array).
// Differences: a path that does not start with "/" fails (json-patch ignores its first token),
// `copy` from a missing member fails (json-patch copies null), and `test` compares values
// structurally (json-patch compares scalars by their JSON text, so 1 ≠ 1.0 there).

import {
  type Location,
  PointerError,
  addIn,
  getIn,
  isContainer,
  locate,
  removeIn,
  setIn,
} from './json-pointer.js';
import { type JsonObject, type JsonValue, cloneJson, getMember, hasOwn, isJsonObject, jsonEqual, jsonKind } from './json-value.js';
import { PatchError, badRequest, invalidPatch } from './patch-error.js';

/** kube-apiserver refuses JSON patches with more operations than this (413). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** One decoded operation; members are kept raw, as json-patch reads them lazily. */
type Operation = JsonObject;

/** Applies a JSON Patch document (already parsed from JSON) to a copy of doc. */
export function applyJsonPatch(doc: JsonValue, patch: JsonValue): JsonValue {
  const ops = decodeJsonPatch(patch);
  const state = { root: cloneJson(doc) };
  for (const op of ops) applyOperation(state, op);
  return state.root;
}

/** Checks the patch's shape: an array of operation objects (400 otherwise, 413 if too long). */
export function decodeJsonPatch(patch: JsonValue): Operation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  const ops: Operation[] = [];
  for (const op of patch) {
    if (op === null) {
      ops.push({});
    } else if (isJsonObject(op)) {
      ops.push(op);
    } else {
      throw badRequest(`json: cannot unmarshal ${goKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      'too-large',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  return ops;
}

function goKind(v: JsonValue): string {
  const k = jsonKind(v);
  return k === 'boolean' ? 'bool' : k;
}

interface DocState {
  root: JsonValue;
}

function applyOperation(state: DocState, op: Operation): void {
  const kind = opKind(op);
  switch (kind) {
    case 'add':
      return add(state, op);
    case 'remove':
      return remove(state, op);
    case 'replace':
      return replace(state, op);
    case 'move':
      return move(state, op);
    case 'copy':
      return copy(state, op);
    case 'test':
      return test(state, op);
    default:
      throw invalidPatch(`Unexpected kind: ${kind}`);
  }
}

function opKind(op: Operation): string {
  const v = getMember(op, 'op');
  return typeof v === 'string' ? v : 'unknown';
}

/** Reads "path" or "from"; failures are reported with the operation's own wording. */
function pointerMember(op: Operation, member: 'path' | 'from', context: string): string {
  const v = getMember(op, member);
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) {
    throw invalidPatch(`${context}: ${member === 'path' ? 'operation missing path field' : 'operation, missing from field'}: missing value`);
  }
  throw invalidPatch(`${context}: json: cannot unmarshal ${goKind(v)} into Go value of type string`);
}

/** The operation's value, copied; a missing value is null as in json-patch. */
function valueOf(op: Operation): JsonValue {
  const v = getMember(op, 'value');
  return v === undefined ? null : cloneJson(v);
}

function mustLocate(state: DocState, pointer: string, message: string): Location {
  const loc = locate(state.root, pointer);
  if (!loc) throw invalidPatch(`${message}: missing value`);
  return loc;
}

function wrap<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PointerError) throw invalidPatch(`${context}: ${e.message}`);
    throw e;
  }
}

function add(state: DocState, op: Operation): void {
  const path = pointerMember(op, 'path', 'add operation failed to decode path');
  const loc = mustLocate(state, path, `add operation does not apply: doc is missing path: "${path}"`);
  wrap(`error in add for path: '${path}'`, () => addIn(loc.container, loc.key, valueOf(op)));
}

function remove(state: DocState, op: Operation): void {
  const path = pointerMember(op, 'path', 'remove operation failed to decode path');
  const loc = mustLocate(state, path, `remove operation does not apply: doc is missing path: "${path}"`);
  wrap(`error in remove for path: '${path}'`, () => removeIn(loc.container, loc.key));
}

function replace(state: DocState, op: Operation): void {
  const path = pointerMember(op, 'path', 'replace operation failed to decode path');
  if (path === '') {
    const value = valueOf(op);
    if (!isContainer(value)) throw invalidPatch('replace operation value must be object or array');
    state.root = value;
    return;
  }
  const loc = mustLocate(state, path, `replace operation does not apply: doc is missing path: ${path}`);
  wrap(`replace operation does not apply: doc is missing key: ${path}`, () => getIn(loc.container, loc.key));
  wrap(`error in replace for path: '${path}'`, () => setIn(loc.container, loc.key, valueOf(op)));
}

function move(state: DocState, op: Operation): void {
  const from = pointerMember(op, 'from', 'move operation failed to decode from');
  const src = mustLocate(state, from, `move operation does not apply: doc is missing from path: ${from}`);
  const value = wrap(`error in move for path: '${src.key}'`, () => {
    const v = getIn(src.container, src.key);
    removeIn(src.container, src.key);
    return v;
  });
  const path = pointerMember(op, 'path', 'move operation failed to decode path');
  const dst = mustLocate(state, path, `move operation does not apply: doc is missing destination path: ${path}`);
  wrap(`error in move for path: '${path}'`, () => addIn(dst.container, dst.key, value === undefined ? null : value));
}

function copy(state: DocState, op: Operation): void {
  const from = pointerMember(op, 'from', 'copy operation failed to decode from');
  const missingFrom = `copy operation does not apply: doc is missing from path: ${from}`;
  const src = mustLocate(state, from, missingFrom);
  const value = wrap(`error in copy for from: '${from}'`, () => getIn(src.container, src.key));
  if (value === undefined) throw invalidPatch(`${missingFrom}: missing value`);
  const path = pointerMember(op, 'path', 'copy operation failed to decode path');
  const dst = mustLocate(state, path, `copy operation does not apply: doc is missing destination path: ${path}`);
  wrap('error while adding value during copy', () => addIn(dst.container, dst.key, cloneJson(value)));
}

function test(state: DocState, op: Operation): void {
  const path = pointerMember(op, 'path', 'test operation failed to decode path');
  const failed = (): PatchError => invalidPatch(`testing value ${path} failed: test failed`);
  const hasValue = hasOwn(op, 'value');
  const expected = getMember(op, 'value') ?? null;
  if (path === '') {
    if (!hasValue || !jsonEqual(state.root, expected)) throw failed();
    return;
  }
  const loc = mustLocate(state, path, `test operation does not apply: is missing path: ${path}`);
  const actual = wrap(`error in test for path: '${path}'`, () => getIn(loc.container, loc.key));
  if (actual === undefined) {
    if (hasValue && expected === null) return;
    throw failed();
  }
  if (!hasValue || !jsonEqual(actual, expected)) throw failed();
}
