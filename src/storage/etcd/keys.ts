// Key and value encoding between Kite's contract (UTF-8 string keys, Uint8Array values, number
// revisions) and etcd's messages (byte keys, int64 revisions): prefix ranges and KeyValue
// conversion.

import type { KeyValue } from '../backend.js';
import type { KeyValueMsg } from './proto.js';

const EMPTY = Buffer.alloc(0);
/** range_end "\0": every key >= the start key. */
const ALL_KEYS = Buffer.from([0]);

export const encodeKey = (key: string): Buffer => Buffer.from(key, 'utf8');

/** The end of the range of keys that start with `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return ALL_KEYS;
}

/** A value as etcd wants it: a Buffer view of the same bytes, no copy. */
export const toBuffer = (value: Uint8Array): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

export function toKeyValue(kv: KeyValueMsg): KeyValue {
  return {
    key: kv.key ? kv.key.toString('utf8') : '',
    value: kv.value ?? EMPTY,
    createRevision: kv.create_revision ?? 0,
    modRevision: kv.mod_revision ?? 0,
  };
}
