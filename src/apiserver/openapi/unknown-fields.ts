// Strict field validation over the OpenAPI definitions: the fields of an object its kind's schema
// does not know, reported the way kube-apiserver's strict JSON decoding reports them
// (`unknown field "spec.containers[0].imagee"`), and walking a schema by path.

import type { OpenApiDefinitions } from './definitions.js';
import type { Schema } from './types.js';

/** kube-apiserver stops collecting strict decoding errors after this many. */
export const MAX_UNKNOWN_FIELDS = 100;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const EMBEDDED_OBJECT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * The paths of the fields of `value` that the schema of definition `rootName` does not declare, in
 * document order, formatted as the Go decoder formats them: fields joined by '.', list indexes as
 * '[i]', map keys like fields, no leading dot ("spec.containers[0].imagee", "metadata.labelz").
 * Maps (additionalProperties), int-or-string and quantity values, free-form objects (an object
 * schema without properties) and x-kubernetes-preserve-unknown-fields subtrees accept anything.
 * A value whose JSON type does not match its schema is not descended into (that is a decoding
 * error, not an unknown field). Returns [] for an unknown definition name.
 */
export function findUnknownFields(definitions: OpenApiDefinitions, rootName: string, value: unknown, limit = MAX_UNKNOWN_FIELDS): string[] {
  const root = definitions.get(rootName);
  if (!root) return [];
  const found: string[] = [];

  const walk = (raw: Schema, v: unknown, path: string): void => {
    if (found.length >= limit || v === null || v === undefined) return;
    const schema = definitions.resolve(raw);
    if (Array.isArray(v)) {
      if (!schema.items) return;
      v.forEach((item, i) => walk(schema.items!, item, `${path}[${i}]`));
      return;
    }
    if (!isObject(v)) return;
    const properties = schema.properties;
    const additional = schema.additionalProperties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (!properties && additional === undefined) {
      // free-form object (RawExtension, FieldsV1, JSON, ...) or a non-object schema
      return;
    }
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    for (const [key, child] of Object.entries(v)) {
      if (found.length >= limit) return;
      const childPath = path === '' ? key : `${path}.${key}`;
      const known = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (known) {
        walk(known, child, childPath);
      } else if (additional !== undefined && additional !== false) {
        if (additional !== true) walk(additional, child, childPath);
      } else if (embedded && EMBEDDED_OBJECT_FIELDS.has(key)) {
        if (key === 'metadata') walk({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }, child, childPath);
      } else if (!preserve) {
        found.push(childPath);
      }
    }
  };

  walk(root, value, '');
  return found;
}

/** One unknown field as kube-apiserver words it in a warning: unknown field "spec.foo". */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/** The message of the 400 BadRequest a Strict request gets: strict decoding error: unknown field "a", unknown field "b". */
export function strictDecodingErrorMessage(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map(unknownFieldMessage).join(', ')}`;
}

/**
 * The schema of the field at `path` within definition `rootName` (field names, and numbers or '*'
 * for list items and map values), resolved through $refs, with the field's own description and
 * x-kubernetes-* extensions (patch strategy, list type) kept; undefined if the path leaves the schema.
 */
export function schemaAtPath(definitions: OpenApiDefinitions, rootName: string, path: readonly (string | number)[]): Schema | undefined {
  let current = definitions.get(rootName);
  for (const segment of path) {
    if (!current) return undefined;
    const schema = definitions.resolve(current);
    if (typeof segment === 'number' || (segment === '*' && schema.items)) {
      current = schema.items;
    } else if (schema.properties && Object.hasOwn(schema.properties, segment)) {
      current = schema.properties[segment];
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      current = schema.additionalProperties;
    } else {
      return undefined;
    }
  }
  if (!current) return undefined;
  const resolved = definitions.resolve(current);
  if (resolved === current) return current;
  // keep the field's own description and x-kubernetes-* extensions over the referenced type's
  const { allOf: _allOf, $ref: _ref, ...own } = current;
  return { ...resolved, ...own };
}
