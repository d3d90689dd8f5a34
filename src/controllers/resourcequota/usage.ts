// A ResourceQuota's status computed from objects (the quota controller's syncResourceQuota):
// status.hard is spec.hard; status.used holds, for every hard resource, the sum of what the
// namespace's objects that the quota tracks (resources and scopes) are charged — zero where none is.

import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { addLists, maskList, matchingResources, objectUsage, quotaScopesMatch, type ResourceList } from '../../api/quota/index.js';

/** The objects of one resource in the quota's namespace. */
export interface QuotaSource {
  group: string;
  resource: string;
  objects: readonly KubeObject[];
}

export function computeQuotaStatus(rq: ResourceQuota, sources: readonly QuotaSource[], nowMs: number): { hard: ResourceList; used: ResourceList } {
  const hard: ResourceList = Object.fromEntries(Object.entries(rq.spec?.hard ?? {}).map(([k, v]) => [k, String(v)]));
  const names = Object.keys(hard);
  let used: ResourceList = {};
  for (const src of sources) {
    const relevant = matchingResources(src.group, src.resource, names);
    if (relevant.length === 0) continue;
    const isPod = !src.group && src.resource === 'pods';
    for (const obj of src.objects) {
      if (!quotaScopesMatch(rq, isPod, obj)) continue;
      used = addLists(used, maskList(objectUsage(src.group, src.resource, obj, nowMs), relevant));
    }
  }
  for (const name of names) used[name] ??= '0';
  return { hard, used };
}
