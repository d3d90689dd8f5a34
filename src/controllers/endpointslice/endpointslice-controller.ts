// The EndpointSlice controller (pkg/controller/endpointslice): for every Service with a selector,
// EndpointSlices (label kubernetes.io/service-name, managed-by endpointslice-controller.k8s.io,
// owned by the Service) listing the selected pods — terminating ones included, with their
// ready/serving/terminating conditions —, the node and zone each runs in, at most
// maxEndpointsPerSlice per slice, grouped by address type and resolved target ports.

import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { endpointHostname, endpointLabels, findPort, podReady, selectsPod, shouldPodBeInEndpoints } from '../endpoint/pod-endpoints.js';
import { ServiceKeyedController } from '../endpoint/service-keyed-controller.js';
import { planSlices, type EndpointGroup } from './slice-reconciler.js';
import { applySlicePlan, planIsEmpty, sliceTemplate } from './slice-writer.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A slice managed by `managedBy` changed or vanished behind our back: its service goes back to the queue. */
export function enqueueServicesOfManagedSlices(slices: SharedIndexInformer<EndpointSlice>, managedBy: string, add: (key: string) => void): void {
  const onSlice = (s: EndpointSlice | DeletedFinalStateUnknown<EndpointSlice>) => {
    const slice = objectOf(s);
    const labels = slice.metadata?.labels ?? {};
    if (labels[MANAGED_BY_LABEL] === managedBy && labels[SERVICE_NAME_LABEL]) add(`${slice.metadata?.namespace}/${labels[SERVICE_NAME_LABEL]}`);
  };
  slices.addEventHandler({ onUpdate: (_, s) => onSlice(s), onDelete: onSlice });
}

/** The endpoint groups a service's slices should hold (podToEndpoint over the selected pods). */
export function desiredGroups(service: Service, pods: Pod[], zoneOf: (nodeName: string) => string | undefined): EndpointGroup[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!selectsPod(service, pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ip = pod.status!.podIP!;
    const addressType = ip.includes(':') ? 'IPv6' : 'IPv4';
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = publishNotReady || podReady(pod);
    const terminating = !!pod.metadata?.deletionTimestamp;
    const nodeName = pod.spec?.nodeName;
    const zone = nodeName ? zoneOf(nodeName) : undefined;
    const hostname = endpointHostname(pod, service);
    const endpoint: Endpoint = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname ? { hostname } : {}),
      ...(nodeName ? { nodeName } : {}),
      ...(zone ? { zone } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    };
    const key = `${addressType}|${JSON.stringify(ports)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addressType, ports, endpoints: [] }));
    g.endpoints.push(endpoint);
  }
  return [...groups.values()];
}

export class EndpointSliceController extends ServiceKeyedController {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly slices: SharedIndexInformer<EndpointSlice>;

  constructor(ctx: ControllerContext) {
    super('endpointslice', ctx);
    this.nodes = ctx.informers.forResource<Node>(resources.NODES);
    this.slices = ctx.informers.forResource<EndpointSlice>(resources.ENDPOINTSLICES);
    enqueueServicesOfManagedSlices(this.slices, CONTROLLER_NAME, (key) => this.queue.add(key));
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const service = this.selectorService(namespace, name);
    const existing = this.slices
      .lister()
      .namespace(namespace)
      .list({ [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME });
    // A deleted service's slices go with it through the garbage collector (they are owned by it).
    if (!service) return;
    const groups = desiredGroups(service, this.pods.lister().namespace(namespace).list(), (node) => this.nodes.lister().get(node)?.metadata?.labels?.[ZONE_LABEL]);
    const labels = { ...endpointLabels(service), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    const plan = planSlices(existing, groups, this.ctx.settings.maxEndpointsPerSlice, sliceTemplate(name, namespace, labels, owner));
    // Labels follow the service's.
    for (const slice of existing) {
      if (plan.delete.includes(slice) || plan.update.some((u) => u.metadata?.uid === slice.metadata?.uid)) continue;
      if (JSON.stringify(slice.metadata?.labels ?? {}) !== JSON.stringify(labels)) plan.update.push(slice);
    }
    for (const u of plan.update) u.metadata = { ...u.metadata, labels };
    if (planIsEmpty(plan)) return;
    await applySlicePlan(this.ctx.client, namespace, plan);
  }
}
