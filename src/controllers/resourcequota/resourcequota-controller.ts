// The ResourceQuota controller (pkg/controller/resourcequota): keeps each quota's status.hard
// (= spec.hard) and status.used (usage.ts) true. A quota is synced when it is created, when its
// spec changes, every resync period, and whenever an object of a monitored resource in its
// namespace is created, deleted, or changes what it is charged (a pod turning terminal, a service
// changing type) — the replenishment controller's job. Status changes alone (the admission
// plugin's optimistic charges) do not trigger a sync, as in Kubernetes, so a charge is not undone
// before the charged object reaches this controller's cache. A `count/<resource>.<group>` of a
// resource without an informer here (a custom resource, say) is counted by a live list of its
// preferred version, found through discovery; those counts are refreshed at each sync.

import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { countedResource, listsEqual, objectUsage } from '../../api/quota/index.js';
import { discoverResources } from '../../client/discovery/index.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceDescriptor } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { computeQuotaStatus, type QuotaSource } from './usage.js';

/** The resources whose objects quotas count (Kubernetes discovers every one; Kite monitors these). */
export const MONITORED: readonly ResourceDescriptor[] = [
  resources.PODS,
  resources.SERVICES,
  resources.CONFIGMAPS,
  resources.SECRETS,
  resources.PERSISTENTVOLUMECLAIMS,
  resources.REPLICATIONCONTROLLERS,
  resources.RESOURCEQUOTAS,
  resources.DEPLOYMENTS,
  resources.REPLICASETS,
  resources.STATEFULSETS,
  resources.DAEMONSETS,
  resources.JOBS,
  resources.CRONJOBS,
  resources.HORIZONTALPODAUTOSCALERS,
];

/** --resource-quota-sync-period's default. */
const RESYNC_MS = 5 * 60_000;

export class ResourceQuotaController extends QueueController {
  private readonly quotas: SharedIndexInformer<ResourceQuota>;
  private readonly monitored: Array<{ descriptor: ResourceDescriptor; informer: SharedIndexInformer<KubeObject> }>;

  constructor(ctx: ControllerContext) {
    super('resourcequota', ctx, { workers: 5 });
    this.quotas = ctx.informers.forResource<ResourceQuota>(resources.RESOURCEQUOTAS);
    this.quotas.addEventHandler(
      {
        onAdd: (q) => this.enqueue(q),
        onUpdate: (old, q) => {
          const stale = !listsEqual(stringList(q.spec?.hard), stringList(q.status?.hard));
          if (old === q || stale || JSON.stringify(old.spec) !== JSON.stringify(q.spec)) this.enqueue(q);
        },
      },
      { resyncPeriodMs: RESYNC_MS },
    );
    this.monitored = MONITORED.map((descriptor) => {
      const informer = ctx.informers.forResource<KubeObject>(descriptor);
      const usage = (o: KubeObject) => objectUsage(descriptor.group, descriptor.resource, o, ctx.clock.now());
      informer.addEventHandler({
        onAdd: (o, initial) => {
          if (!initial) this.replenish(o);
        },
        onUpdate: (old, o) => {
          if (old !== o && !listsEqual(usage(old), usage(o))) this.replenish(o);
        },
        onDelete: (o) => this.replenish(o),
      });
      return { descriptor, informer };
    });
  }

  /** Queues every quota of the object's namespace. */
  private replenish(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): void {
    const ns = objectOf(obj).metadata?.namespace;
    if (!ns) return;
    for (const q of this.quotas.lister().namespace(ns).list()) this.enqueue(q);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.quotas.lister().namespace(namespace).get(name);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const sources: QuotaSource[] = this.monitored.map(({ descriptor, informer }) => ({
      group: descriptor.group,
      resource: descriptor.resource,
      objects: informer.lister().namespace(namespace).list(),
    }));
    sources.push(...(await this.unmonitoredSources(cached, namespace)));
    const { hard, used } = computeQuotaStatus(cached, sources, this.ctx.clock.now());
    if (listsEqual(hard, stringList(cached.status?.hard)) && listsEqual(used, stringList(cached.status?.used))) return;
    const next = structuredClone(cached);
    next.status = { hard, used };
    await this.ctx.client.resource<ResourceQuota>(resources.RESOURCEQUOTAS).namespace(namespace).updateStatus(next);
  }

  /** Live lists of the counted resources no informer here watches (count/<resource>.<group>). */
  private async unmonitoredSources(rq: ResourceQuota, namespace: string): Promise<QuotaSource[]> {
    const wanted = Object.keys(rq.spec?.hard ?? {})
      .map(countedResource)
      .filter((gr): gr is { group: string; resource: string } => !!gr && !MONITORED.some((m) => m.group === gr.group && m.resource === gr.resource));
    if (wanted.length === 0) return [];
    const served = (await discoverResources(this.ctx.client)).resources.filter((r) => r.preferred && r.namespaced && r.verbs.includes('list'));
    const out: QuotaSource[] = [];
    for (const gr of wanted) {
      const descriptor = served.find((r) => r.group === gr.group && r.resource === gr.resource);
      if (!descriptor) continue; // not served: nothing to count
      const objects = (await this.ctx.client.resource(descriptor).namespace(namespace).list()).items;
      out.push({ group: gr.group, resource: gr.resource, objects });
    }
    return out;
  }
}

function stringList(list: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(list ?? {}).map(([k, v]) => [k, String(v)]));
}
