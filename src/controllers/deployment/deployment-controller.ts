// The Deployment controller (pkg/controller/deployment/deployment_controller.go): Deployment,
// ReplicaSet and pod events enqueue the owning Deployment; reconcile claims ReplicaSets
// (adopt/release), then either only writes the status (being deleted), scales (paused, or
// spec.replicas changed), or rolls out by the strategy (RollingUpdate or Recreate), and requeues
// itself to notice a passed progress deadline.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector, type Selector } from '../../api/labels/index.js';
import { controllerOf } from '../../api/meta.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { ensureControllerUIDIndex, ownedAndOrphans, ownersSelecting, resolveControllerRef } from '../framework/controller-index.js';
import { controllerRefTo } from '../framework/pods.js';
import { claimObjects, recheckDeletionTimestamp } from '../framework/ref-manager.js';
import type { Requeue } from './progress.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { DeploymentSync } from './sync.js';

export class DeploymentController extends QueueController {
  private readonly deployments: SharedIndexInformer<Deployment>;
  private readonly replicaSets: SharedIndexInformer<ReplicaSet>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly sync: DeploymentSync;

  constructor(ctx: ControllerContext) {
    super('deployment', ctx, { workers: ctx.settings.concurrentDeploymentSyncs });
    this.deployments = ctx.informers.forResource<Deployment>(resources.DEPLOYMENTS);
    this.replicaSets = ctx.informers.forResource<ReplicaSet>(resources.REPLICASETS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    ensureControllerUIDIndex(this.replicaSets);
    this.sync = new DeploymentSync(ctx.client, this.replicaSets.lister(), ctx.recorder('deployment-controller'), ctx.clock);
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, cur) => this.replicaSetUpdated(old, cur),
      onDelete: (rs) => this.replicaSetChanged(objectOf(rs)),
    });
    this.pods.addEventHandler({ onDelete: (p) => this.podDeleted(p) });
  }

  private resolve(namespace: string, ref: ReturnType<typeof controllerOf>): Deployment | undefined {
    return resolveControllerRef(this.deployments, 'Deployment', namespace, ref);
  }

  /** getDeploymentsForReplicaSet: Deployments in the namespace whose selector matches the ReplicaSet. */
  private deploymentsMatching(rs: ReplicaSet): Deployment[] {
    return ownersSelecting(this.deployments, rs, selectorOf);
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.resolve(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsMatching(rs)) this.enqueue(d);
  }

  private replicaSetUpdated(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const d = this.resolve(old.metadata?.namespace ?? '', oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolve(cur.metadata?.namespace ?? '', curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (labelsChanged || oldRef) for (const d of this.deploymentsMatching(cur)) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its old pods to be gone: look again when one goes. */
  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const ns = pod.metadata?.namespace ?? '';
    const rsRef = controllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.lister().namespace(ns).get(rsRef.name);
    if (!rs || rs.metadata?.uid !== rsRef.uid) return;
    const d = this.resolve(ns, controllerOf(rs));
    if (d?.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.deployments.lister().namespace(namespace).get(name);
    if (!cached) return;
    const d = structuredClone(cached);
    const selector = d.spec?.selector;
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      this.sync.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.sync.updateStatus({ ...d, status: { ...d.status, observedGeneration: d.metadata?.generation ?? 0 } });
      }
      return;
    }
    const sel = selectorOf(d);
    if (!sel) return;
    const rsList = await this.replicaSetsFor(d, sel);
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await this.sync.getAllReplicaSetsAndSyncRevision(d, rsList, false);
      await this.sync.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    await this.sync.checkPausedConditions(d);
    if (d.spec?.paused) {
      await this.sync.sync(d, rsList);
      return;
    }
    if (await this.sync.isScalingEvent(d, rsList)) {
      await this.sync.sync(d, rsList);
      return;
    }
    let requeue: Requeue;
    if (d.spec?.strategy?.type === 'Recreate') requeue = await rolloutRecreate(this.sync, d, rsList, this.podMap(d, sel, rsList));
    else requeue = await rolloutRolling(this.sync, d, rsList);
    if (requeue.afterMs === 0) this.queue.addRateLimited(key);
    else if (requeue.afterMs !== undefined) this.enqueueAfter(key, requeue.afterMs);
  }

  /** getReplicaSetsForDeployment: claims the namespace's ReplicaSets (adopting orphans after a fresh read of the Deployment). */
  private async replicaSetsFor(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const ns = d.metadata?.namespace ?? '';
    const deployments = this.ctx.client.resource<Deployment>(resources.DEPLOYMENTS).namespace(ns);
    return claimObjects<ReplicaSet>(
      {
        owner: d,
        ownerRef: controllerRefTo(d, 'apps/v1', 'Deployment'),
        selector,
        client: this.ctx.client.resource<ReplicaSet>(resources.REPLICASETS).namespace(ns),
        recheckOwner: recheckDeletionTimestamp(() => deployments.get(d.metadata?.name ?? ''), d),
        kind: 'ReplicaSet',
      },
      ownedAndOrphans(this.replicaSets, ns, d.metadata?.uid ?? ''),
    );
  }

  /** getPodMapForDeployment: the Deployment's pods grouped by the UID of the ReplicaSet controlling them. */
  private podMap(d: Deployment, selector: Selector, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) map.set(rs.metadata?.uid ?? '', []);
    for (const pod of this.pods.lister().namespace(d.metadata?.namespace ?? '').list(selector)) {
      const ref = controllerOf(pod);
      if (!ref) continue;
      map.get(ref.uid)?.push(pod);
    }
    return map;
  }
}

function selectorOf(d: Deployment): Selector | undefined {
  try {
    return selectorFromLabelSelector(d.spec?.selector);
  } catch {
    return undefined;
  }
}
