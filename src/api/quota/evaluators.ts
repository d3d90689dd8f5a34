// The quota evaluators, one per group-resource (pkg/quota/v1/evaluator/core and the generic
// object-count evaluator): which quota names an object of that resource is charged for and how
// much — pods (pod-usage.ts), services (count, node ports, load balancers), persistent volume
// claims (count, requests.storage, per storage class), and a count/<resource>.<group> for every
// resource, with the legacy names of the core kinds (configmaps, secrets, …).

import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import { isPodResource, podUsage } from './pod-usage.js';
import type { ResourceList } from './resource-list.js';
import { quotaScopesMatch } from './scopes.js';

/** "pods" for core resources, "deployments.apps" otherwise: the suffix of count/<…>. */
export function groupResourceName(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** Core resources whose plain name is also a quota name (ResourceServices, ResourceSecrets, …). */
const LEGACY = new Set(['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

function serviceUsage(svc: Service): ResourceList {
  const out: ResourceList = { services: '1', 'count/services': '1' };
  const ports = (svc.spec?.ports ?? []).length;
  if (svc.spec?.type === 'NodePort') out['services.nodeports'] = String(ports);
  if (svc.spec?.type === 'LoadBalancer') {
    out['services.loadbalancers'] = '1';
    if (svc.spec.allocateLoadBalancerNodePorts !== false) out['services.nodeports'] = String(ports);
  }
  return out;
}

function claimUsage(pvc: PersistentVolumeClaim): ResourceList {
  const out: ResourceList = { persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1' };
  const storage = pvc.spec?.resources?.requests?.['storage'];
  const cls = pvc.spec?.storageClassName;
  if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = '1';
  if (storage !== undefined) {
    out['requests.storage'] = String(storage);
    if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = String(storage);
  }
  return out;
}

/** What one object of group/resource is charged. */
export function objectUsage(group: string, resource: string, obj: unknown, nowMs: number): ResourceList {
  if (!group && resource === 'pods') return podUsage(obj as Pod, nowMs);
  if (!group && resource === 'services') return serviceUsage(obj as Service);
  if (!group && resource === 'persistentvolumeclaims') return claimUsage(obj as PersistentVolumeClaim);
  const out: ResourceList = { [`count/${groupResourceName(group, resource)}`]: '1' };
  if (!group && LEGACY.has(resource)) out[resource] = '1';
  return out;
}

/** Whether admission charges `operation` on group/resource (the evaluators' Handles): every create;
 *  updates only of services (type and ports change) and claims (storage grows) — pods are charged
 *  on update only with in-place resize, off by default in Kubernetes 1.32. */
export function chargesOperation(group: string, resource: string, operation: string): boolean {
  if (operation === 'CREATE') return true;
  return operation === 'UPDATE' && !group && (resource === 'services' || resource === 'persistentvolumeclaims');
}

/** The quota names (of `names`) that objects of group/resource are charged for (MatchingResources). */
export function matchingResources(group: string, resource: string, names: Iterable<string>): string[] {
  const gr = groupResourceName(group, resource);
  return [...names].filter((name) => {
    if (name === `count/${gr}`) return true;
    if (group) return false;
    if (resource === 'pods') return isPodResource(name);
    if (resource === 'services') return name === 'services' || name === 'services.nodeports' || name === 'services.loadbalancers';
    if (resource === 'persistentvolumeclaims') return name === 'persistentvolumeclaims' || name === 'requests.storage' || name.includes(STORAGE_CLASS_SUFFIX);
    return LEGACY.has(resource) && name === resource;
  });
}

/** The group/resource a quota name counts, when it is an object count (count/x.g or a legacy name). */
export function countedResource(name: string): { group: string; resource: string } | undefined {
  const gr = name.startsWith('count/') ? name.slice('count/'.length) : LEGACY.has(name) ? name : undefined;
  if (gr === undefined) return undefined;
  const dot = gr.indexOf('.');
  return dot < 0 ? { group: '', resource: gr } : { group: gr.slice(dot + 1), resource: gr.slice(0, dot) };
}

/** Whether the quota tracks objects of group/resource like `obj` at all (resources and scopes). */
export function quotaMatches(rq: ResourceQuota, group: string, resource: string, obj: unknown): boolean {
  const hard = Object.keys(rq.status?.hard ?? rq.spec?.hard ?? {});
  if (matchingResources(group, resource, hard).length === 0) return false;
  return quotaScopesMatch(rq, !group && resource === 'pods', obj);
}
