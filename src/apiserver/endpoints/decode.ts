// Request bodies → objects: JSON or YAML by Content-Type, with the duplicate fields a strict
// decoder reports (JSON.parse silently keeps the last one; kube-apiserver with
// fieldValidation=Strict refuses them).

import { parseDocument } from 'yaml';
import { newBadRequest, newUnsupportedMediaType } from '../../api/status-errors.js';

export interface Decoded {
  value: unknown;
  /** Paths of fields given more than once, e.g. "spec.containers[0].image". */
  duplicates: string[];
}

/** What this server decodes (protobuf, which kubectl's typed clients send, is not yet among them). */
const JSON_TYPES = ['application/json', 'application/yaml'];

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? 'application/json';
}

export function decodeBody(body: Buffer, contentType: string | undefined): Decoded {
  const type = mediaType(contentType);
  const text = body.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) return decodeJson(text);
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return decodeYaml(text);
  throw newUnsupportedMediaType(JSON_TYPES);
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
 * left for JSON.parse to report.
 */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  interface Frame {
    path: string;
    keys?: Set<string>;
    index: number;
  }
  const stack: Frame[] = [];
  let pendingKey: string | undefined;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.keys) return top.path ? `${top.path}.${pendingKey ?? ''}` : (pendingKey ?? '');
    return `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i += text[i] === '\\' ? 2 : 1);
      const top = stack[stack.length - 1];
      // A string right after '{' or ',' inside an object is a key.
      let j = start - 1;
      while (j >= 0 && ' \t\r\n'.includes(text[j] as string)) j--;
      if (top?.keys && (text[j] === '{' || text[j] === ',')) {
        let key: string;
        try {
          key = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return found;
        }
        if (top.keys.has(key)) found.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        pendingKey = key;
      }
    } else if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) throw newBadRequest(`error decoding request body: exceeded max depth of ${MAX_DEPTH}`);
      const path = childPath();
      stack.push(c === '{' ? { path, keys: new Set(), index: 0 } : { path, index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    }
  }
  return found;
}

/** The body of a subresource request (a Binding, an Eviction): an object whose metadata.name, if
 *  given, must be the name in the URL. */
export function decodeNamedBody<T extends { metadata?: { name?: string } }>(body: Buffer, contentType: string | undefined, name: string, kind: string): T {
  const { value } = decodeBody(body, contentType);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw newBadRequest(`the body must be a ${kind} object`);
  const obj = value as T;
  if (obj.metadata?.name !== undefined && obj.metadata.name !== name) {
    throw newBadRequest(`name in URL does not match name in ${kind} object`);
  }
  return obj;
}
