// The ServiceAccount controller (pkg/controller/serviceaccount): every active namespace has a
// ServiceAccount named "default". Keyed by namespace: a new namespace, or a deleted "default"
// account, brings the namespace back to the queue; reconcile creates the account if it is missing.

import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../../api/status-predicates.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';

export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

export class ServiceAccountController extends QueueController {
  private readonly namespaces: SharedIndexInformer<Namespace>;
  private readonly accounts: SharedIndexInformer<ServiceAccount>;

  constructor(ctx: ControllerContext) {
    super('serviceaccount', ctx, { workers: ctx.settings.concurrentSyncs });
    this.namespaces = ctx.informers.forResource<Namespace>(resources.NAMESPACES);
    this.accounts = ctx.informers.forResource<ServiceAccount>(resources.SERVICEACCOUNTS);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_, ns) => this.queue.add(ns.metadata?.name ?? ''),
    });
    this.accounts.addEventHandler({
      onDelete: (sa: ServiceAccount | DeletedFinalStateUnknown<ServiceAccount>) => {
        const account = objectOf(sa);
        if (DEFAULT_SERVICE_ACCOUNTS.includes(account.metadata?.name ?? '')) this.queue.add(account.metadata?.namespace ?? '');
      },
    });
  }

  protected async reconcile(namespace: string): Promise<void> {
    const ns = this.namespaces.lister().get(namespace);
    if (!ns || ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) return;
    const client = this.ctx.client.resource<ServiceAccount>(resources.SERVICEACCOUNTS).namespace(namespace);
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (this.accounts.lister().namespace(namespace).get(name)) continue;
      try {
        await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        // Exists already (our cache lags), or the namespace is going away: nothing to do.
        if (isAlreadyExists(err) || isNotFound(err) || (isForbidden(err) && /being terminated/.test(String(err)))) continue;
        throw err;
      }
    }
  }
}
