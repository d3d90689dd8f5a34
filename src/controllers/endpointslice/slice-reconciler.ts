// Turning the endpoints a Service should have into EndpointSlices with as few writes as possible
// (the reconciler of pkg/controller/endpointslice, simplified): endpoints are grouped by address
// type and port set — one group's endpoints only ever share slices with each other —; an endpoint
// stays in the slice that already holds it; free room in existing slices is filled before new
// slices are made; slices left empty, or of a port set no longer wanted, are deleted. A service
// with no endpoints keeps one empty placeholder slice, as Kubernetes does.

import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export interface EndpointGroup {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export interface SlicePlan {
  /** New slices (without names: created with generateName). */
  create: EndpointSlice[];
  /** Existing slices with new content. */
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

const endpointId = (e: Endpoint) => e.targetRef?.uid || e.addresses.join(',');
const portsKey = (ports: EndpointPort[] | undefined) =>
  (ports ?? [])
    .map((p) => `${p.name ?? ''}/${p.port ?? ''}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');
const groupKey = (addressType: string, ports: EndpointPort[] | undefined) => `${addressType}|${portsKey(ports)}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const byId = (a: Endpoint, b: Endpoint) => endpointId(a).localeCompare(endpointId(b));

/**
 * Plans the writes that make `existing` (the slices this controller owns for the service) hold
 * `groups`; `template(group)` makes a new slice's shell (metadata, addressType, ports).
 */
export function planSlices(existing: EndpointSlice[], groups: EndpointGroup[], maxPerSlice: number, template: (group: EndpointGroup) => EndpointSlice): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const total = groups.reduce((n, g) => n + g.endpoints.length, 0);
  if (total === 0) return placeholder(existing, template);

  const wanted = new Map(groups.filter((g) => g.endpoints.length > 0).map((g) => [groupKey(g.addressType, g.ports), g]));
  const slicesByGroup = new Map<string, EndpointSlice[]>();
  for (const slice of [...existing].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const key = groupKey(slice.addressType, slice.ports ?? undefined);
    if (!wanted.has(key)) {
      plan.delete.push(slice);
      continue;
    }
    let list = slicesByGroup.get(key);
    if (!list) slicesByGroup.set(key, (list = []));
    list.push(slice);
  }

  for (const [key, group] of wanted) {
    const remaining = new Map(group.endpoints.map((e) => [endpointId(e), e]));
    const kept: { slice: EndpointSlice; endpoints: Endpoint[] }[] = [];
    // Endpoints stay where they are (with their new state).
    for (const slice of slicesByGroup.get(key) ?? []) {
      const endpoints: Endpoint[] = [];
      for (const e of slice.endpoints ?? []) {
        const desired = remaining.get(endpointId(e));
        if (!desired || endpoints.length >= maxPerSlice) continue;
        endpoints.push(desired);
        remaining.delete(endpointId(e));
      }
      kept.push({ slice, endpoints });
    }
    // New endpoints fill free room first, then new slices.
    const leftover = [...remaining.values()].sort(byId);
    for (const k of kept) {
      while (k.endpoints.length < maxPerSlice && leftover.length > 0) k.endpoints.push(leftover.shift()!);
    }
    for (const k of kept) {
      if (k.endpoints.length === 0) {
        plan.delete.push(k.slice);
        continue;
      }
      const endpoints = [...k.endpoints].sort(byId);
      if (!same(sortedEndpoints(k.slice), endpoints) || !same(k.slice.ports ?? [], group.ports)) {
        plan.update.push({ ...k.slice, endpoints, ports: group.ports });
      }
    }
    for (let i = 0; i < leftover.length; i += maxPerSlice) {
      plan.create.push({ ...template(group), endpoints: leftover.slice(i, i + maxPerSlice) });
    }
  }
  return plan;
}

function sortedEndpoints(slice: EndpointSlice): Endpoint[] {
  return [...(slice.endpoints ?? [])].sort(byId);
}

function placeholder(existing: EndpointSlice[], template: (group: EndpointGroup) => EndpointSlice): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const isPlaceholder = (s: EndpointSlice) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0 && s.addressType === 'IPv4';
  const keep = existing.find(isPlaceholder);
  for (const s of existing) if (s !== keep) plan.delete.push(s);
  if (!keep) plan.create.push({ ...template({ addressType: 'IPv4', ports: [], endpoints: [] }), endpoints: [] });
  return plan;
}
