// The base of the controllers that keep something per Service from its selected pods (Endpoints,
// EndpointSlices): informers on services and pods whose handlers enqueue the service's key — for a
// pod, every service in its namespace that selects it before or after the change.

import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { selectsPod } from './pod-endpoints.js';

export abstract class ServiceKeyedController extends QueueController {
  protected readonly services: SharedIndexInformer<Service>;
  protected readonly pods: SharedIndexInformer<Pod>;

  constructor(name: string, ctx: ControllerContext) {
    super(name, ctx, { workers: ctx.settings.concurrentSyncs });
    this.services = ctx.informers.forResource<Service>(resources.SERVICES);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.services.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_, s) => this.enqueue(s), onDelete: (s) => this.enqueue(s) });
    const onPod = (pod: Pod | DeletedFinalStateUnknown<Pod>) => this.enqueueServicesOf(objectOf(pod));
    this.pods.addEventHandler({
      onAdd: onPod,
      onUpdate: (old, pod) => {
        this.enqueueServicesOf(old);
        this.enqueueServicesOf(pod);
      },
      onDelete: onPod,
    });
  }

  private enqueueServicesOf(pod: Pod): void {
    for (const svc of this.services.lister().namespace(pod.metadata?.namespace ?? 'default').list()) {
      if (selectsPod(svc, pod)) this.enqueue(svc);
    }
  }

  /** The service of a key, if it has a selector this controller acts on (not ExternalName). */
  protected selectorService(namespace: string, name: string): Service | undefined {
    const service = this.services.lister().namespace(namespace).get(name);
    if (!service?.spec?.selector || Object.keys(service.spec.selector).length === 0 || service.spec.type === 'ExternalName') return undefined;
    return service;
  }
}
