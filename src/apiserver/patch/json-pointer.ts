// JSON Pointer (RFC 6901) navigation as evanphx/json-patch v4 does it for Kubernetes' JSON Patch:
// find the container that holds the last reference token, then get/add/set/remove in it.
// Array indices are parsed like Go's strconv.Atoi and may be negative (counted from the end),
// which json-patch v4 enables by default; "-" means "after the last element" for add.

import { type JsonObject, type JsonValue, getMember, hasOwn, isJsonObject, setMember } from './json-value.js';

/** A failure inside a container operation; the caller wraps it with the operation's context. */
export class PointerError extends Error {}

export type Container = JsonObject | JsonValue[];

export interface Location {
  container: Container;
  key: string;
}

export function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The container holding the pointer's last token, or null when a parent is missing. */
export function locate(root: JsonValue, pointer: string): Location | null {
  const tokens = pointer.split('/');
  if (tokens.length < 2 || tokens[0] !== '') return null;
  let cur: JsonValue = root;
  for (const raw of tokens.slice(1, -1)) {
    if (!isContainer(cur)) return null;
    let next: JsonValue | undefined;
    try {
      next = getIn(cur, decodeToken(raw));
    } catch {
      return null;
    }
    if (next === undefined || next === null) return null;
    cur = next;
  }
  if (!isContainer(cur)) return null;
  return { container: cur, key: decodeToken(tokens[tokens.length - 1] as string) };
}

export function isContainer(v: JsonValue | undefined): v is Container {
  return Array.isArray(v) || isJsonObject(v);
}

function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PointerError(`strconv.Atoi: parsing "${key}": invalid syntax`);
  return Number.parseInt(key, 10);
}

function invalidIndex(idx: number): PointerError {
  return new PointerError(`Unable to access invalid index: ${idx}: invalid index referenced`);
}

/** The member or element at key; undefined for a missing object member; throws for a bad index. */
export function getIn(c: Container, key: string): JsonValue | undefined {
  if (!Array.isArray(c)) return getMember(c, key);
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  if (idx >= c.length) throw invalidIndex(idx);
  return c[idx];
}

/** Inserts (arrays) or sets (objects) a value. */
export function addIn(c: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(c)) {
    setMember(c, key, value);
    return;
  }
  if (key === '-') {
    c.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new PointerError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.splice(idx, 0, value);
}

/** Overwrites an existing element (arrays; the caller checked it exists) or sets a member. */
export function setIn(c: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(c)) {
    setMember(c, key, value);
    return;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  c[idx] = value;
}

export function removeIn(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!hasOwn(c, key)) throw new PointerError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete c[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.length) throw invalidIndex(idx);
    idx += c.length;
  }
  c.splice(idx, 1);
}
