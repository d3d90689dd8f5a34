// patchMetaFromSchemas: PatchMeta read from OpenAPI-style schemas (v2 definitions or v3
// components.schemas): `properties`, `items`, `additionalProperties`, `allOf` and `$ref`
// are followed; x-kubernetes-patch-strategy / -merge-key are read on the property itself, where
// Kubernetes publishes them. Nodes are resolved lazily and memoized, so recursive schemas are fine.

import { type FieldPatchMeta, NO_PATCH_META, type PatchMeta, parsePatchStrategy } from './patch-meta.js';

export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  allOf?: SchemaNode[];
  $ref?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
}

/** Builds PatchMeta for the definition named rootDefinitionName ("#/…/Name" refs resolve by Name). */
export function patchMetaFromSchemas(definitions: Readonly<Record<string, SchemaNode>>, rootDefinitionName: string): PatchMeta {
  const root = definitions[rootDefinitionName];
  if (!root) throw new Error(`schema definition ${rootDefinitionName} not found`);
  const metas = new WeakMap<SchemaNode, PatchMeta>();

  const resolve = (node: SchemaNode): SchemaNode => {
    const seen = new Set<SchemaNode>();
    let cur = node;
    while (!seen.has(cur)) {
      seen.add(cur);
      if (cur.allOf && cur.allOf.length > 0 && !cur.properties) {
        cur = cur.allOf[0] as SchemaNode;
      } else if (cur.$ref !== undefined) {
        const name = cur.$ref.slice(cur.$ref.lastIndexOf('/') + 1);
        const target = definitions[name];
        if (!target) throw new Error(`unable to resolve ${cur.$ref}`);
        cur = target;
      } else {
        break;
      }
    }
    return cur;
  };

  const property = (node: SchemaNode, key: string): SchemaNode | undefined => {
    const n = resolve(node);
    const props = n.properties;
    if (props && Object.prototype.hasOwnProperty.call(props, key)) return props[key];
    return typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined;
  };

  const metaOf = (node: SchemaNode): PatchMeta => {
    const known = metas.get(node);
    if (known) return known;
    const meta: PatchMeta = {
      field(key) {
        const prop = property(node, key);
        return prop ? fieldMeta(prop) : {};
      },
      child(key) {
        const prop = property(node, key);
        if (!prop) return NO_PATCH_META;
        const value = resolve(prop);
        return metaOf(value.items ?? value);
      },
    };
    metas.set(node, meta);
    return meta;
  };

  return metaOf(root);
}

function fieldMeta(prop: SchemaNode): FieldPatchMeta {
  const out: FieldPatchMeta = {};
  const strategy = prop['x-kubernetes-patch-strategy'];
  const mergeKey = prop['x-kubernetes-patch-merge-key'];
  if (strategy !== undefined) out.strategy = parsePatchStrategy(strategy);
  if (mergeKey !== undefined) out.mergeKey = mergeKey;
  return out;
}
