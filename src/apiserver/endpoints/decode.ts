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

export function decodeJson(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw newBadRequest(`error decoding request body: ${(err as Error).message}`);
  }
  return { value, duplicates: findDuplicateKeys(text) };
}

function decodeYaml(text: string): Decoded {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw newBadRequest(`error decoding YAML request body: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  return { value: doc.toJS(), duplicates: [] };
}

/** Scans JSON text for keys repeated within one object; returns their paths. */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  const skipWs = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skipWs();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        const key = readString();
        const child = path ? `${path}.${key}` : key;
        if (seen.has(key)) found.push(child);
        seen.add(key);
        skipWs();
        i++; // ':'
        value(child);
        skipWs();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        skipWs();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !',}] \t\r\n'.includes(text[i] as string)) i++;
    }
  };
  value('');
  return found;
}
