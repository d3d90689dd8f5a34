// What apiextensions-apiserver does to a custom object against its version's structural schema
// before validation: pruning of fields the schema does not specify (kept under
// x-kubernetes-preserve-unknown-fields; apiVersion, kind and metadata of the object and of
// x-kubernetes-embedded-resource objects always kept, metadata cut down to ObjectMeta's fields),
// dropping nulls of non-nullable fields without a default, and applying `default` values.
// The pruned paths are the unknown fields fieldValidation reports ("spec.foo", "spec.items[0].x").

import type { Schema } from '../openapi/types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** metav1.ObjectMeta's JSON fields: anything else under metadata is pruned. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const TYPE_META_FIELDS = new Set(['apiVersion', 'kind']);

const childPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/**
 * Removes from `obj` (a whole custom object) every field its schema does not specify, and
 * returns their paths in document order. `obj` is changed in place.
 */
export function prune(obj: Json, schema: Schema | undefined): string[] {
  const pruned: string[] = [];
  pruneObject(obj, schema ?? {}, '', true, pruned);
  return pruned;
}

/** The fields `prune` would remove, leaving `obj` as it is. */
export function unknownFieldPaths(obj: unknown, schema: Schema | undefined): string[] {
  if (!isObject(obj)) return [];
  return prune(structuredClone(obj), schema);
}

function pruneMeta(meta: unknown, path: string, pruned: string[]): void {
  if (!isObject(meta)) return;
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      delete meta[key];
      pruned.push(childPath(path, key));
    }
  }
}

function pruneObject(value: Json, schema: Schema, path: string, resourceRoot: boolean, pruned: string[]): void {
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const p = childPath(path, key);
    if (resourceRoot && (TYPE_META_FIELDS.has(key) || key === 'metadata')) {
      if (key === 'metadata') pruneMeta(child, p, pruned);
      continue;
    }
    const known = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (known) {
      pruneValue(child, known, p, pruned);
    } else if (additional && typeof additional === 'object') {
      pruneValue(child, additional, p, pruned);
    } else if (additional === true || preserve) {
      // kept as it is
    } else {
      delete value[key];
      pruned.push(p);
    }
  }
}

function pruneValue(value: unknown, schema: Schema, path: string, pruned: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => pruneValue(item, schema.items!, `${path}[${i}]`, pruned));
    return;
  }
  if (isObject(value)) pruneObject(value, schema, path, schema['x-kubernetes-embedded-resource'] === true, pruned);
}

/**
 * Drops null values of fields that are neither nullable nor defaulted (Kubernetes'
 * PruneNonNullableNullsWithoutDefaults), in object properties and map values.
 */
export function dropNonNullableNulls(value: unknown, schema: Schema | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) dropNonNullableNulls(item, schema.items);
    return;
  }
  if (!isObject(value)) return;
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const child = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : additional;
    if (!child) continue;
    if (value[key] === null) {
      if (child.nullable !== true && child.default === undefined) delete value[key];
    } else {
      dropNonNullableNulls(value[key], child);
    }
  }
}

/**
 * Applies the schema's `default` values (Kubernetes' structural defaulting): a missing property,
 * or a null one that is not nullable, gets a copy of its default; then defaults apply inside it.
 */
export function applyDefaults(value: unknown, schema: Schema | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (child.default === undefined) continue;
    const current = value[key];
    if (current === undefined || (current === null && child.nullable !== true)) value[key] = structuredClone(child.default);
  }
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const child = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : additional;
    if (child) applyDefaults(value[key], child);
  }
}

/** Pruning, null dropping and defaulting in Kubernetes' order; returns the pruned paths. */
export function normalize(obj: Json, schema: Schema | undefined, preserveUnknownFields = false): string[] {
  const pruned = preserveUnknownFields ? [] : prune(obj, schema);
  dropNonNullableNulls(obj, schema);
  applyDefaults(obj, schema);
  return pruned;
}
