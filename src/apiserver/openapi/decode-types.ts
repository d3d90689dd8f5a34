// Typed decoding over the OpenAPI definitions, as kube-apiserver's JSON decoding into Go structs
// behaves: a value of the wrong JSON type is an error ("json: cannot unmarshal string into Go
// struct field Pod.spec.containers of type []v1.Container"), and null means "absent" (a null
// field is dropped; a null string-map value or list item becomes the zero value).

import type { OpenApiDefinitions } from './definitions.js';
import { referencedName } from './definitions.js';
import type { Schema } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return `number ${v}`;
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function goType(definitions: OpenApiDefinitions, raw: Schema): string {
  const name = referencedName(raw);
  if (name) {
    const parts = name.split('.');
    return `${parts[parts.length - 2] ?? ''}.${parts[parts.length - 1] ?? ''}`;
  }
  const schema = definitions.resolve(raw);
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${schema.items ? goType(definitions, schema.items) : 'interface {}'}`;
    case 'object':
      return schema.additionalProperties && schema.additionalProperties !== true
        ? `map[string]${goType(definitions, schema.additionalProperties)}`
        : 'map[string]interface {}';
    default:
      return schema.type ?? 'interface {}';
  }
}

/** The zero value a null list item or map value decodes to. */
function zeroValue(definitions: OpenApiDefinitions, raw: Schema): unknown {
  const schema = definitions.resolve(raw);
  if (schema.type === 'string' && !schema['x-kubernetes-int-or-string']) return '';
  if (schema.type === 'object' || schema.properties) return {};
  return undefined;
}

/**
 * Checks `value` against definition `rootName`, dropping nulls as Go's decoder does; returns the
 * first type error as kube-apiserver words it, or undefined. Unknown definitions pass.
 */
export function checkTypes(definitions: OpenApiDefinitions, rootName: string, kind: string, value: unknown): string | undefined {
  const root = definitions.get(rootName);
  if (!root) return undefined;
  const fail = (raw: Schema, v: unknown, path: string) =>
    `json: cannot unmarshal ${jsonType(v).split(' ')[0]} into Go struct field ${kind}${path ? '.' + path : ''} of type ${goType(definitions, raw)}`;

  const walk = (raw: Schema, v: unknown, path: string): string | undefined => {
    const schema = definitions.resolve(raw);
    if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return undefined;
    if (schema['x-kubernetes-int-or-string']) {
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) ? undefined : fail(raw, v, path);
    }
    switch (schema.type) {
      case 'string':
        return typeof v === 'string' ? undefined : fail(raw, v, path);
      case 'integer':
        return typeof v === 'number' && Number.isInteger(v) ? undefined : `json: cannot unmarshal ${jsonType(v)} into Go struct field ${kind}${path ? '.' + path : ''} of type ${goType(definitions, raw)}`;
      case 'number':
        return typeof v === 'number' ? undefined : fail(raw, v, path);
      case 'boolean':
        return typeof v === 'boolean' ? undefined : fail(raw, v, path);
      case 'array': {
        if (!Array.isArray(v)) return fail(raw, v, path);
        const items = schema.items;
        if (!items) return undefined;
        for (let i = 0; i < v.length; i++) {
          if (v[i] === null) {
            const zero = zeroValue(definitions, items);
            if (zero !== undefined) v[i] = zero;
            continue;
          }
          const err = walk(items, v[i], path);
          if (err) return err;
        }
        return undefined;
      }
      default:
        break;
    }
    if (!schema.properties && schema.additionalProperties === undefined) {
      // A free-form value (RawExtension, JSON, …): anything goes, except that a typed object schema
      // still needs an object.
      return schema.type === 'object' && !isObject(v) ? fail(raw, v, path) : undefined;
    }
    if (!isObject(v)) return fail(raw, v, path);
    for (const [key, child] of Object.entries(v)) {
      const childSchema = schema.properties?.[key] ?? (schema.additionalProperties && schema.additionalProperties !== true ? schema.additionalProperties : undefined);
      if (child === null) {
        const zero = !schema.properties?.[key] && childSchema ? zeroValue(definitions, childSchema) : undefined;
        if (zero !== undefined) v[key] = zero;
        else delete v[key];
        continue;
      }
      if (!childSchema) continue; // unknown fields are fieldValidation's business
      const err = walk(childSchema, child, path ? `${path}.${key}` : key);
      if (err) return err;
    }
    return undefined;
  };
  return walk(root, value, '');
}
