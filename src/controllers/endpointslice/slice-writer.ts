// Applying a SlicePlan through the API: creates (generateName "<service>-"), updates and deletes,
// in that order so a service is never left without slices that were meant to stay. Shared by the
// EndpointSlice controller and its mirroring sibling.

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isNotFound } from '../../api/status-predicates.js';
import { resources, type RestClient } from '../../client/rest/index.js';
import type { EndpointGroup, SlicePlan } from './slice-reconciler.js';

export async function applySlicePlan(client: RestClient, namespace: string, plan: SlicePlan): Promise<void> {
  const slices = client.resource<EndpointSlice>(resources.ENDPOINTSLICES).namespace(namespace);
  for (const s of plan.create) await slices.create(s);
  for (const s of plan.update) await slices.update(s);
  for (const s of plan.delete) {
    await slices.delete(s.metadata?.name ?? '', { preconditions: { uid: s.metadata?.uid ?? '' } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

/** Whether a plan writes anything. */
export function planIsEmpty(plan: SlicePlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
}

/** The shell of a new slice for a service: generateName "<service>-", labels, the owner. */
export function sliceTemplate(service: string, namespace: string, labels: Record<string, string>, owner: OwnerReference): (group: EndpointGroup) => EndpointSlice {
  return (g) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${service}-`, namespace, labels, ownerReferences: [owner] },
    addressType: g.addressType,
    ports: g.ports,
    endpoints: [],
  });
}
