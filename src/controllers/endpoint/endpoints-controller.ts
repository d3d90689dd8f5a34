// The Endpoints controller (pkg/controller/endpoint): every Service with a selector has an
// Endpoints object of the same name listing the IPs of the pods it selects — ready ones under
// addresses, the others under notReadyAddresses (all ready with publishNotReadyAddresses) — per
// group of resolved target ports. Services without a selector keep the Endpoints their users
// write. At most 1000 addresses, as Kubernetes truncates, with the over-capacity annotation.

import type { Endpoints, EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1.js';
import { formatTime } from '../../api/meta.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { endpointHostname, endpointLabels, findPort, podReady, selectsPod, shouldPodBeInEndpoints } from './pod-endpoints.js';
import { ServiceKeyedController } from './service-keyed-controller.js';
import { countAddresses, repackSubsets, type AddressEntry } from './subsets.js';

export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The subsets a Service's Endpoints should hold, given the pods of its namespace. */
export function desiredSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const tolerateUnready = service.spec?.publishNotReadyAddresses === true;
  const ports = service.spec?.ports ?? [];
  const entries: AddressEntry[] = [];
  for (const pod of pods) {
    if (!selectsPod(service, pod) || !shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const hostname = endpointHostname(pod, service);
    const address = {
      ip: pod.status!.podIP!,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      ...(hostname ? { hostname } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    };
    const ready = tolerateUnready || podReady(pod);
    if (ports.length === 0) {
      // A headless service without ports still lists its pods.
      if (service.spec?.clusterIP === 'None') entries.push({ address, ready, ports: [] });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      entries.push({ address, ready, ports: [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }] });
    }
  }
  return repackSubsets(entries);
}

/** Keeps the first MAX_CAPACITY addresses, ready ones first, as Kubernetes truncates. */
function truncate(subsets: EndpointSubset[]): EndpointSubset[] {
  let left = MAX_CAPACITY;
  const take = <T>(list: T[] | undefined): T[] | undefined => {
    if (!list) return undefined;
    const kept = list.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept.length > 0 ? kept : undefined;
  };
  const ready = subsets.map((s) => take(s.addresses));
  const notReady = subsets.map((s) => take(s.notReadyAddresses));
  return subsets
    .map((s, i) => ({ ...(ready[i] ? { addresses: ready[i] } : {}), ...(notReady[i] ? { notReadyAddresses: notReady[i] } : {}), ...(s.ports ? { ports: s.ports } : {}) }))
    .filter((s) => s.addresses || s.notReadyAddresses);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class EndpointsController extends ServiceKeyedController {
  private readonly endpoints: SharedIndexInformer<Endpoints>;

  constructor(ctx: ControllerContext) {
    super('endpoint', ctx);
    this.endpoints = ctx.informers.forResource<Endpoints>(resources.ENDPOINTS);
    // Someone deleted the Endpoints of a live service: write them again.
    this.endpoints.addEventHandler({ onDelete: (e) => this.enqueue(e) });
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const client = this.ctx.client.resource<Endpoints>(resources.ENDPOINTS).namespace(namespace);
    if (!this.services.lister().namespace(namespace).get(name)) {
      await client.delete(name).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      return;
    }
    const service = this.selectorService(namespace, name);
    if (!service) return;

    let subsets = desiredSubsets(service, this.pods.lister().namespace(namespace).list());
    const over = countAddresses(subsets) > MAX_CAPACITY;
    if (over) subsets = truncate(subsets);
    const labels = endpointLabels(service);
    const current = this.endpoints.lister().namespace(namespace).get(name);
    const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
    if (over) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (current && same(current.subsets ?? [], subsets) && same(current.metadata?.labels ?? {}, labels) && same(current.metadata?.annotations ?? {}, annotations)) return;
    annotations[LAST_CHANGE_TRIGGER_TIME] = formatTime(this.ctx.clock.now());
    const desired: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace, labels, annotations },
      subsets,
    };
    // A create that meets an existing object (our cache lags) fails and is retried with the cache caught up.
    if (!current) await client.create(desired);
    else await client.update(desired);
  }
}
