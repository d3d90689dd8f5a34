// PatchMeta: what strategic merge patch needs to know about a resource's schema — for each field,
// its x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key, and the schema of its value
// (of its items, for a list). Unknown fields and free-form maps have no metadata: maps merge as
// plain maps and lists are replaced, as in Kubernetes.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface FieldPatchMeta {
  strategy?: PatchStrategy;
  mergeKey?: string;
}

export interface PatchMeta {
  /** Strategy and merge key of field `key` of the object this node describes. */
  field(key: string): FieldPatchMeta;
  /** The node describing field `key`'s value; for a list field, the node of its items. */
  child(key: string): PatchMeta;
}

/** No metadata anywhere: a JSON merge patch with SMP directives. */
export const NO_PATCH_META: PatchMeta = {
  field: () => ({}),
  child: () => NO_PATCH_META,
};

/** Metadata of the field at path (field names only; list levels are transparent). */
export function lookupPatchMeta(meta: PatchMeta, path: readonly string[]): FieldPatchMeta {
  if (path.length === 0) return {};
  let node = meta;
  for (const key of path.slice(0, -1)) node = node.child(key);
  return node.field(path[path.length - 1] as string);
}

/** Normalizes an x-kubernetes-patch-strategy value; throws on one Kubernetes does not know. */
export function parsePatchStrategy(value: string): PatchStrategy {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const retain = parts.includes('retainKeys');
  const rest = parts.filter((s) => s !== 'retainKeys');
  if (parts.length <= 2 && rest.length <= 1) {
    const other = rest[0];
    if (other === undefined && retain) return 'retainKeys';
    if (other === 'merge') return retain ? 'merge,retainKeys' : 'merge';
    if (other === 'replace' && !retain) return 'replace';
  }
  throw new Error(`unexpected patch strategy: ${value}`);
}

/**
 * PatchMeta from a flat table keyed by dotted field path (list levels left out), e.g.
 * { 'spec.template.spec.containers': { strategy: 'merge', mergeKey: 'name' } }.
 */
export function patchMetaFromPaths(table: Readonly<Record<string, FieldPatchMeta>>): PatchMeta {
  const at = (prefix: string): PatchMeta => ({
    field: (key) => table[prefix + key] ?? {},
    child: (key) => at(`${prefix}${key}.`),
  });
  return at('');
}
