// Hand-built Kubernetes protobuf bytes for tests: fields by number and wire type, written with
// protobufjs's low-level Writer (no schema), and the "k8s\0" + runtime.Unknown envelope.

import protobuf from 'protobufjs';

/** One field: [number, value]. Strings and bytes are length-delimited, numbers and booleans
 *  varints, { double } 64-bit floats, arrays of fields embedded messages. */
export type Field = readonly [number, string | number | boolean | Uint8Array | { double: number } | readonly Field[]];

/** A message's bytes. */
export function pb(fields: readonly Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [n, v] of fields) {
    if (typeof v === 'number' || typeof v === 'boolean') {
      w.uint32((n << 3) | 0).int64(Number(v));
    } else if (typeof v === 'string') {
      w.uint32((n << 3) | 2).string(v);
    } else if ('double' in v) {
      w.uint32((n << 3) | 1).double(v.double);
    } else {
      w.uint32((n << 3) | 2);
      if (v instanceof Uint8Array) w.bytes(v);
      else w.bytes(pb(v));
    }
  }
  return w.finish();
}

/** A map<K, V> entry field. */
export const entry = (n: number, key: string, value: string | Uint8Array | readonly Field[]): Field => [n, [[1, key], [2, value]]];

/** A request body: the magic, then runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function body(apiVersion: string, kind: string, object: readonly Field[], extra: readonly Field[] = []): Buffer {
  const envelope = pb([[1, [[1, apiVersion], [2, kind]]], [2, pb(object)], ...extra]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope]);
}
