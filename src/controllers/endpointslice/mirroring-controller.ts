// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): Endpoints that
// users write for a Service without a selector are mirrored into EndpointSlices (managed-by
// endpointslicemirroring-controller.k8s.io), so consumers of slices see them too. Ready addresses
// mirror as ready, notReadyAddresses as not ready; at most 1000 addresses; Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror=true are left alone.

import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, enqueueServicesOfManagedSlices } from './endpointslice-controller.js';
import { planSlices, type EndpointGroup } from './slice-reconciler.js';
import { applySlicePlan, planIsEmpty, sliceTemplate } from './slice-writer.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const MAX_MIRRORED = 1000;

/** The endpoint groups that mirror an Endpoints object's subsets. */
export function mirroredGroups(endpoints: Endpoints): EndpointGroup[] {
  const groups: EndpointGroup[] = [];
  let left = MAX_MIRRORED;
  for (const subset of endpoints.subsets ?? []) {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const byType = new Map<string, Endpoint[]>();
    const add = (ready: boolean) => (a: NonNullable<typeof subset.addresses>[number]) => {
      if (left <= 0) return;
      left--;
      const type = a.ip.includes(':') ? 'IPv6' : 'IPv4';
      let list = byType.get(type);
      if (!list) byType.set(type, (list = []));
      list.push({
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      });
    };
    (subset.addresses ?? []).forEach(add(true));
    (subset.notReadyAddresses ?? []).forEach(add(false));
    for (const [type, list] of byType) groups.push({ addressType: type as 'IPv4' | 'IPv6', ports, endpoints: list });
  }
  return groups;
}

export class EndpointSliceMirroringController extends QueueController {
  private readonly services: SharedIndexInformer<Service>;
  private readonly endpoints: SharedIndexInformer<Endpoints>;
  private readonly slices: SharedIndexInformer<EndpointSlice>;

  constructor(ctx: ControllerContext) {
    super('endpointslicemirroring', ctx, { workers: ctx.settings.concurrentSyncs });
    this.services = ctx.informers.forResource<Service>(resources.SERVICES);
    this.endpoints = ctx.informers.forResource<Endpoints>(resources.ENDPOINTS);
    this.slices = ctx.informers.forResource<EndpointSlice>(resources.ENDPOINTSLICES);
    for (const informer of [this.services, this.endpoints] as SharedIndexInformer<Service | Endpoints>[]) {
      informer.addEventHandler({ onAdd: (o) => this.enqueue(o), onUpdate: (_, o) => this.enqueue(o), onDelete: (o) => this.enqueue(o) });
    }
    enqueueServicesOfManagedSlices(this.slices, MIRRORING_CONTROLLER_NAME, (key) => this.queue.add(key));
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const service = this.services.lister().namespace(namespace).get(name);
    const endpoints = this.endpoints.lister().namespace(namespace).get(name);
    const existing = this.slices
      .lister()
      .namespace(namespace)
      .list({ [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME });
    const mirror =
      service !== undefined &&
      endpoints !== undefined &&
      !(service.spec?.selector && Object.keys(service.spec.selector).length > 0) &&
      endpoints.metadata?.labels?.[SKIP_MIRROR_LABEL] !== 'true';
    if (!mirror) {
      if (existing.length > 0) await applySlicePlan(this.ctx.client, namespace, { create: [], update: [], delete: existing });
      return;
    }
    const labels = { ...(endpoints.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const owner = { apiVersion: 'v1', kind: 'Endpoints', name, uid: endpoints.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    const groups = mirroredGroups(endpoints);
    if (groups.every((g) => g.endpoints.length === 0) && existing.length === 0 && (endpoints.subsets ?? []).length === 0) return;
    const plan = planSlices(existing, groups, this.ctx.settings.maxEndpointsPerSlice, sliceTemplate(name, namespace, labels, owner));
    for (const u of plan.update) u.metadata = { ...u.metadata, labels };
    if (planIsEmpty(plan)) return;
    await applySlicePlan(this.ctx.client, namespace, plan);
  }
}
