// Discovery (client-go's discovery client, the part controllers need): every resource the server
// serves, from aggregated discovery (/api and /apis as APIGroupDiscoveryList, one request each) or,
// when the server does not offer it, from the plain documents (/api, /api/v1, /apis, /apis/G/V).
// Each resource is listed once per served version with its verbs; `preferred` marks the group's
// preferred version (ServerPreferredResources). Groups that fail are reported, not fatal.

import type { Requester } from '../rest/request.js';
import type { ResourceDescriptor } from '../rest/resource-client.js';

export interface DiscoveredResource extends ResourceDescriptor {
  kind: string;
  verbs: string[];
  /** The group's preferred version. */
  preferred: boolean;
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** "group/version" (or "group") → why it could not be discovered. */
  failed: Map<string, string>;
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }[] }[];
  }[];
}

interface ResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface GroupList {
  groups?: { name: string; versions?: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/** Every served resource (subresources left out) of every group and version. */
export async function discoverResources(client: Requester): Promise<DiscoveryResult> {
  const resources: DiscoveredResource[] = [];
  const failed = new Map<string, string>();
  const core = await client.request<AggregatedList & { versions?: string[] }>({ method: 'GET', path: '/api', accept: AGGREGATED, describe: 'discovery /api' });
  if (core?.kind === 'APIGroupDiscoveryList') {
    const groups = await client.request<AggregatedList>({ method: 'GET', path: '/apis', accept: AGGREGATED, describe: 'discovery /apis' });
    for (const list of [core, groups]) {
      for (const item of list?.items ?? []) {
        const group = item.metadata?.name ?? '';
        (item.versions ?? []).forEach((v, i) => {
          for (const r of v.resources ?? []) {
            resources.push({
              group,
              version: v.version,
              resource: r.resource,
              kind: r.responseKind?.kind ?? '',
              namespaced: r.scope === 'Namespaced',
              verbs: r.verbs ?? [],
              preferred: i === 0,
            });
          }
        });
      }
    }
    return { resources, failed };
  }
  const versions: { group: string; version: string; preferred: boolean }[] = (core?.versions ?? ['v1']).map((version, i) => ({ group: '', version, preferred: i === 0 }));
  const groups = await client.request<GroupList>({ method: 'GET', path: '/apis', describe: 'discovery /apis' });
  for (const g of groups?.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    for (const v of g.versions ?? []) versions.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  await Promise.all(
    versions.map(async ({ group, version, preferred }) => {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      try {
        const list = await client.request<ResourceList>({ method: 'GET', path, describe: `discovery ${path}` });
        for (const r of list?.resources ?? []) {
          if (r.name.includes('/')) continue;
          resources.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], preferred });
        }
      } catch (err) {
        failed.set(group ? `${group}/${version}` : version, err instanceof Error ? err.message : String(err));
      }
    }),
  );
  return { resources, failed };
}

/** "group/version" as an apiVersion ("v1" for the core group). */
export function groupVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Splits an apiVersion into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** A RESTMapper over one discovery result: the resource serving apiVersion + kind. */
export class ResourceMapper {
  private readonly byKind = new Map<string, DiscoveredResource>();
  private readonly byGroupKind = new Map<string, DiscoveredResource>();

  constructor(readonly result: DiscoveryResult) {
    for (const r of result.resources) {
      this.byKind.set(`${groupVersionOf(r)}|${r.kind}`, r);
      if (r.preferred || !this.byGroupKind.has(`${r.group}|${r.kind}`)) this.byGroupKind.set(`${r.group}|${r.kind}`, r);
    }
  }

  /** The resource of apiVersion + kind; another served version of the group's kind when that version is not served. */
  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    const exact = this.byKind.get(`${apiVersion}|${kind}`);
    if (exact) return exact;
    const { group } = parseApiVersion(apiVersion);
    return this.byGroupKind.get(`${group}|${kind}`);
  }

  /** The preferred version of every resource supporting all of `verbs`. */
  preferred(verbs: readonly string[]): DiscoveredResource[] {
    return this.result.resources.filter((r) => r.preferred && verbs.every((v) => r.verbs.includes(v)));
  }
}
