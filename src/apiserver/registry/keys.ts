// Where each resource's objects live in the store: /registry/<resource>/<namespace>/<name> for the
// core group, /registry/<group>/<resource>/<namespace>/<name> for the others (cluster-scoped
// resources have no namespace segment).

import type { ResourceDefinition } from './resource.js';

export function resourcePrefix(def: Pick<ResourceDefinition, 'group' | 'resource'>): string {
  return def.group ? `/registry/${def.group}/${def.resource}/` : `/registry/${def.resource}/`;
}

/** The prefix a list or watch reads: the whole resource, or one namespace of it. */
export function listPrefix(def: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced'>, namespace?: string): string {
  const base = resourcePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(def: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${resourcePrefix(def)}${namespace ?? ''}/${name}` : `${resourcePrefix(def)}${name}`;
}
