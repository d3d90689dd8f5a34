// A decoded protobuf message → the JSON object Kubernetes' encoding/json would write for the same
// Go value: JSON names and inline fields from the json tags, omitempty for zero scalars, pointer
// fields present exactly when they were sent, empty lists and maps left out (Go decodes them as
// nil), structs always written, bytes as base64, int64 as numbers, well-known types converted.

import protobuf from 'protobufjs';
import type { ProtoSchema } from './schema.js';
import { JSON_SCHEMA_PROPS, toNumber, wellKnown, type Decoded } from './well-known.js';

type Json = Record<string, unknown>;

const INT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);

/** One value of a field (an element, for repeated fields; a value, for maps: a map entry without
 *  its value is the Go zero value). */
function value(schema: ProtoSchema, field: protobuf.Field, v: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Type) return message(schema, field.resolvedType, (v ?? {}) as Decoded);
  if (field.resolvedType instanceof protobuf.Enum) return v;
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (INT_TYPES.has(field.type)) return toNumber(v);
  return v;
}

const isZero = (field: protobuf.Field, v: unknown): boolean => {
  if (field.type === 'bytes') return (v as Uint8Array).length === 0;
  if (INT_TYPES.has(field.type)) return toNumber(v) === 0;
  return v === '' || v === false || v === 0;
};

/** The JSON of a message; undefined where Go would write null (a zero Time, an empty RawExtension). */
export function message(schema: ProtoSchema, type: protobuf.Type, m: Decoded): unknown {
  const special = wellKnown(type.fullName);
  if (special) return special(m, (nested) => message(schema, schema.root.lookupType(JSON_SCHEMA_PROPS), nested));
  if (schema.isSlice(type)) {
    const items = type.fields['items'];
    return items ? ((m['items'] as unknown[] | undefined) ?? []).map((v) => value(schema, items, v)) : [];
  }
  const out: Json = {};
  for (const field of type.fieldsArray) {
    const tag = schema.tag(type, field);
    const present = Object.prototype.hasOwnProperty.call(m, field.name);
    let json: unknown;
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries((m[field.name] as Record<string, unknown> | undefined) ?? {});
      if (entries.length === 0) continue;
      json = Object.fromEntries(entries.map(([k, v]) => [k, value(schema, field, v)]));
    } else if (field.repeated) {
      const items = (m[field.name] as unknown[] | undefined) ?? [];
      if (items.length === 0) continue;
      json = items.map((v) => value(schema, field, v));
    } else if (field.resolvedType instanceof protobuf.Type) {
      // A pointer is written when it was sent; a struct always (omitempty does not apply to structs).
      if (tag.pointer && !present) continue;
      json = message(schema, field.resolvedType, (present ? m[field.name] : {}) as Decoded);
    } else {
      if (tag.pointer && !present) continue;
      const v = m[field.name] ?? field.typeDefault;
      // []byte is a slice: Go decodes an empty one as nil.
      if (!tag.pointer && isZero(field, v) && (tag.omitempty || field.type === 'bytes')) continue;
      json = value(schema, field, v);
    }
    if (json === undefined) continue;
    if (tag.inline && json !== null && typeof json === 'object' && !Array.isArray(json)) Object.assign(out, json);
    else out[tag.json || field.name] = json;
  }
  return out;
}
