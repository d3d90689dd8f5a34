// Discovery documents, built from the resource catalog: the legacy ones (/api, /api/v1, /apis,
// /apis/G, /apis/G/V) and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), which
// kubectl 1.32 asks for first.

import { verbsOf, type ResourceDefinition } from '../registry/resource.js';
import type { ResourceCatalog } from '../registry/catalog.js';

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

function legacyResources(def: ResourceDefinition): ApiResource[] {
  const main: ApiResource = {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: [...verbsOf(def)],
  };
  if (def.shortNames?.length) main.shortNames = def.shortNames;
  if (def.categories?.length) main.categories = def.categories;
  const subs = (def.subresources ?? []).map((sub) => {
    const r: ApiResource = {
      name: `${def.resource}/${sub.name}`,
      singularName: '',
      namespaced: def.namespaced,
      kind: sub.kind,
      verbs: [...sub.verbs],
    };
    if (sub.group !== undefined) r.group = sub.group;
    if (sub.version !== undefined) r.version = sub.version;
    return r;
  });
  return [main, ...subs];
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiResourceList(catalog: ResourceCatalog, group: string, version: string): object | undefined {
  const defs = catalog.resources(group, version);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: defs.flatMap(legacyResources),
  };
}

function apiGroup(group: string, versions: string[]): object {
  const gv = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gv, preferredVersion: gv[0] };
}

export function apiGroupList(catalog: ResourceCatalog): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: catalog
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroupDocument(catalog: ResourceCatalog, group: string): object | undefined {
  const found = catalog.groups().find((g) => g.group === group);
  if (!found || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, found.versions) };
}

/** The aggregated discovery version a client asked for in Accept, if any. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}

export const aggregatedContentType = (version: 'v2' | 'v2beta1'): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

function aggregatedResource(def: ResourceDefinition): object {
  const r: Record<string, unknown> = {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: [...verbsOf(def)],
  };
  if (def.shortNames?.length) r.shortNames = def.shortNames;
  if (def.categories?.length) r.categories = def.categories;
  if (def.subresources?.length) {
    r.subresources = def.subresources.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group ?? def.group, version: sub.version ?? def.version, kind: sub.kind },
      verbs: [...sub.verbs],
    }));
  }
  return r;
}

/** /api (core group only) or /apis (every other group), aggregated. */
export function aggregatedDiscovery(catalog: ResourceCatalog, core: boolean, version: 'v2' | 'v2beta1'): object {
  const items = catalog
    .groups()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: g.group ? { name: g.group } : {},
      versions: g.versions.map((v) => ({
        version: v,
        resources: catalog.resources(g.group, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

