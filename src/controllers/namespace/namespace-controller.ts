// The namespace controller (pkg/controller/namespace): a namespace with a deletionTimestamp is
// emptied by the deleter and finalized. Namespace events are acted on after a 5 s grace (as
// Kubernetes does, so that writes admitted just before the deletion land first); a namespace whose
// content is still going away is looked at again after half the estimate plus a second; every
// namespace is looked at again every --namespace-sync-period.

import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { NamespacedResourcesDeleter } from './deleter.js';

/** The wait before a namespace event is processed (namespaceDeletionGracePeriod). */
export const NAMESPACE_DELETION_GRACE_MS = 5_000;

export class NamespaceController extends QueueController {
  private readonly namespaces: SharedIndexInformer<Namespace>;
  private readonly deleter: NamespacedResourcesDeleter;

  constructor(ctx: ControllerContext) {
    super('namespace', ctx, { workers: ctx.settings.concurrentNamespaceSyncs });
    this.deleter = new NamespacedResourcesDeleter(ctx.client, ctx.clock);
    this.namespaces = ctx.informers.forResource<Namespace>(resources.NAMESPACES);
    const later = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) this.enqueueAfter(ns.metadata.name ?? '', NAMESPACE_DELETION_GRACE_MS);
    };
    this.namespaces.addEventHandler({ onAdd: later, onUpdate: (_, ns) => later(ns) }, { resyncPeriodMs: ctx.settings.namespaceSyncPeriodMs });
  }

  protected async reconcile(name: string): Promise<void> {
    const cached = this.namespaces.lister().get(name);
    if (cached && !cached.metadata?.deletionTimestamp) return;
    const outcome = await this.deleter.delete(name);
    if (!outcome.done) this.enqueueAfter(name, (Math.floor(outcome.estimateSeconds / 2) + 1) * 1000);
  }
}
