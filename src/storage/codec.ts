// Objects <-> stored bytes. Objects are stored as JSON without their resourceVersion (the
// backend's revision is the resourceVersion, stamped on every object read back), and values over
// the backend limit are refused before they reach a backend.

import type { KubeObject } from '../api/object.js';
import { MAX_VALUE_BYTES } from './backend.js';
import { StorageError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeObject(key: string, obj: KubeObject): Uint8Array {
  const { metadata } = obj;
  let toStore: KubeObject = obj;
  if (metadata?.resourceVersion !== undefined) {
    const { resourceVersion: _drop, ...rest } = metadata;
    toStore = { ...obj, metadata: rest };
  }
  const bytes = encoder.encode(JSON.stringify(toStore));
  if (bytes.byteLength > MAX_VALUE_BYTES) {
    throw new StorageError(
      'RequestTooLarge',
      `the object at ${key} is ${bytes.byteLength} bytes; the store's limit is ${MAX_VALUE_BYTES} bytes (1.5 MiB)`,
      key,
    );
  }
  return bytes;
}

export function decodeObject<T extends KubeObject>(key: string, value: Uint8Array, revision: number): T {
  let obj: T;
  try {
    obj = JSON.parse(decoder.decode(value)) as T;
  } catch (err) {
    throw new StorageError('InvalidObj', `the value at ${key} is not a JSON object: ${String(err)}`, key, undefined, {
      cause: err,
    });
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new StorageError('InvalidObj', `the value at ${key} is not a JSON object`, key);
  }
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

/** Byte equality, for "tryUpdate changed nothing". */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
