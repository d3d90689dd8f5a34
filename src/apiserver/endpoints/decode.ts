// Request bodies → objects: JSON, YAML or (for built-in kinds) Kubernetes protobuf by
// Content-Type, with the duplicate fields a strict decoder reports (JSON.parse silently keeps the
// last one; kube-apiserver with fieldValidation=Strict refuses them). Protobuf is decoded to the
// same JSON form in ../protobuf/.

import { parseDocument } from 'yaml';
import { newBadRequest, newUnsupportedMediaType } from '../../api/status-errors.js';
import { decodeProtobuf, PROTOBUF_MEDIA_TYPE, servesProtobuf, type ProtobufTarget } from '../protobuf/index.js';

export interface Decoded {
  value: unknown;
  /** Paths of fields given more than once, e.g. "spec.containers[0].image". */
  duplicates: string[];
}

/** What this server decodes: custom resources JSON and YAML, built-in kinds protobuf too. */
const JSON_TYPES = ['application/json', 'application/yaml'];
const ALL_TYPES = [...JSON_TYPES, PROTOBUF_MEDIA_TYPE];

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? 'application/json';
}

/**
 * Decodes a body by its Content-Type. `target` is the group, version and kind the endpoint
 * expects: protobuf is accepted for the built-in API groups and refused (415) for custom ones.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, target: ProtobufTarget): Decoded {
  const type = mediaType(contentType);
  const protobuf = servesProtobuf(target.group, target.version);
  if (type === PROTOBUF_MEDIA_TYPE && protobuf) {
    const value = decodeProtobuf(body, target);
    // Embedded JSON (RawExtension, FieldsV1) nests freely: refuse hostile depth as for YAML.
    findDuplicateKeys(JSON.stringify(value));
    return { value, duplicates: [] };
  }
  const text = body.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) return decodeJson(text);
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return decodeYaml(text);
  throw newUnsupportedMediaType(protobuf ? ALL_TYPES : JSON_TYPES);
}

/** Nesting deeper than this is refused (Go's JSON decoder stops at 10,000; Kite's recursive
 *  walkers need a lower bound, and no Kubernetes object nests beyond a few dozen levels). */
export const MAX_DEPTH = 1_000;

export function decodeJson(text: string): Decoded {
  // The scan checks nesting depth before anything recursive sees the value.
  const duplicates = findDuplicateKeys(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw newBadRequest(`error decoding request body: ${(err as Error).message}`);
  }
  return { value, duplicates };
}

/** The deepest [ / { nesting of YAML flow collections, outside quoted scalars. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}

function decodeYaml(text: string): Decoded {
  // The YAML parser recurses: refuse hostile nesting before it sees the text.
  if (flowDepth(text) > MAX_DEPTH) throw newBadRequest(`error decoding YAML request body: exceeded max depth of ${MAX_DEPTH}`);
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message ?? 'invalid YAML');
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    // Re-scan as JSON for nesting depth (YAML flow collections nest too).
    findDuplicateKeys(JSON.stringify(value) ?? 'null');
    return { value, duplicates: [] };
  } catch (err) {
    if ((err as { status?: unknown }).status) throw err;
    throw newBadRequest(`error decoding YAML request body: ${(err as Error).message}`);
  }
}

/**
 * Scans JSON text for keys repeated within one object and returns their paths; refuses nesting
 * deeper than MAX_DEPTH. Iterative, so hostile input cannot exhaust the stack. Malformed text is
 * left for JSON.parse to report. It runs on every request body, so it works on char codes, takes
 * keys without escapes as plain slices, and builds a path only for a duplicate it reports.
 */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  interface Frame {
    parent: Frame | undefined;
    /** The key (parent an object) or index (parent an array) this value sits at. */
    at: string | number;
    /** Keys seen so far (objects only). */
    keys?: Set<string>;
    /** The current element's index (arrays only). */
    index: number;
  }
  const pathOf = (frame: Frame | undefined): string => {
    const parts: Frame[] = [];
    for (let f = frame; f?.parent; f = f.parent) parts.push(f);
    let path = '';
    for (let k = parts.length - 1; k >= 0; k--) {
      const f = parts[k] as Frame;
      path = typeof f.at === 'number' ? `${path}[${f.at}]` : path ? `${path}.${f.at}` : f.at;
    }
    return path;
  };
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let pendingKey: string | undefined;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        }
      }
      // A string right after '{' or ',' inside an object is a key.
      if (!top?.keys) continue;
      let j = start - 1;
      let b = text.charCodeAt(j);
      while (j >= 0 && (b === SPACE || b === TAB || b === CR || b === LF)) b = text.charCodeAt(--j);
      if (b !== OPEN_BRACE && b !== COMMA) continue;
      let key: string;
      if (!escaped) key = text.slice(start + 1, i);
      else {
        try {
          key = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return found;
        }
      }
      if (top.keys.has(key)) {
        const path = pathOf(top);
        found.push(path ? `${path}.${key}` : key);
      }
      top.keys.add(key);
      pendingKey = key;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= MAX_DEPTH) throw newBadRequest(`error decoding request body: exceeded max depth of ${MAX_DEPTH}`);
      const at = top ? (top.keys ? (pendingKey ?? '') : top.index) : '';
      const frame: Frame = c === OPEN_BRACE ? { parent: top, at, keys: new Set(), index: 0 } : { parent: top, at, index: 0 };
      stack.push(frame);
      top = frame;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      top = stack[stack.length - 1];
    } else if (c === COMMA) {
      if (top && !top.keys) top.index++;
    }
  }
  return found;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The body of a subresource request (a Binding, an Eviction): an object of the target's kind whose
 *  metadata.name, if given, must be the name in the URL (unless name is undefined: the caller checks). */
export function decodeNamedBody<T extends { metadata?: { name?: string } }>(body: Buffer, contentType: string | undefined, name: string | undefined, target: ProtobufTarget): T {
  const { kind } = target;
  const { value } = decodeBody(body, contentType, target);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw newBadRequest(`the body must be a ${kind} object`);
  const obj = value as T & { kind?: unknown };
  if (obj.kind !== undefined && obj.kind !== kind) {
    throw newBadRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${kind})`);
  }
  if (name !== undefined && obj.metadata?.name !== undefined && obj.metadata.name !== name) {
    throw newBadRequest(`name in URL does not match name in ${kind} object`);
  }
  return obj;
}
