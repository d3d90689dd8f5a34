// The ReplicaSet controller (pkg/controller/replicaset), generic over the kind it drives
// (ReplicaSet or ReplicationController, see kinds.ts). Handlers map pod events to the owning (or,
// for orphans, every matching) owner and record observed creates and deletes in the expectations;
// reconcile claims pods (adopt/release), creates or deletes the difference from spec.replicas
// unless earlier writes are still unobserved, and writes the status.

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import { controllerOf } from '../../api/meta.js';
import { isNotFound } from '../../api/status-predicates.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import type { EventRecorder } from '../../client/events/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { CONTROLLER_UID_INDEX, ensureControllerUIDIndex, ownedAndOrphans } from '../framework/controller-index.js';
import { routeOwnedObjects } from '../framework/owned-objects.js';
import { ControllerExpectations } from '../framework/expectations.js';
import { controllerRefTo, isPodActive, isPodReady } from '../framework/pods.js';
import { claimObjects, recheckDeletionTimestamp } from '../framework/ref-manager.js';
import type { ReplicaKind, ReplicaStatus } from './kinds.js';
import { PodControl, podFromTemplate, slowStartBatch } from '../framework/pod-control.js';
import { podsToDelete } from './ranking.js';
import { calculateStatus, statusChanged } from './status.js';

/** controller.BurstReplicas: creates or deletes per sync at most. */
export const BURST_REPLICAS = 500;
/** controller.SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

type Owner = ReplicaSet | ReplicationController;

export interface ReplicaSetControllerOptions {
  workers: number;
  burstReplicas?: number;
}

export class ReplicaSetController<T extends Owner> extends QueueController {
  readonly expectations: ControllerExpectations;
  private readonly owners: SharedIndexInformer<T>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly burst: number;

  constructor(
    ctx: ControllerContext,
    private readonly kind: ReplicaKind<T>,
    options: ReplicaSetControllerOptions,
  ) {
    super(kind.controllerName, ctx, { workers: options.workers });
    this.burst = options.burstReplicas ?? BURST_REPLICAS;
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder(kind.component);
    this.podControl = new PodControl((ns) => ctx.client.resource<Pod>(resources.PODS).namespace(ns), this.recorder);
    this.owners = ctx.informers.forResource<T>(kind.descriptor);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    ensureControllerUIDIndex(this.owners);
    ensureControllerUIDIndex(this.pods);
    this.owners.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.ownerDeleted(old);
        this.enqueue(cur);
      },
      onDelete: (o) => this.ownerDeleted(objectOf(o)),
    });
    const podKey = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
    routeOwnedObjects<T, Pod>(this.pods, {
      owners: this.owners,
      ownerKind: kind.kind,
      selector: (o) => kind.selector(o),
      enqueue: (o) => this.enqueue(o),
      created: (o) => this.expectations.creationObserved(this.ownerKey(o)),
      deleted: (o, p) => this.expectations.deletionObserved(this.ownerKey(o), podKey(p)),
      // A pod that just became ready is available minReadySeconds later: look again then.
      updated: (o, old, cur) => {
        const minReady = kind.minReadySeconds(o);
        if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.enqueueAfter(this.ownerKey(o), minReady * 1000 + 1000);
      },
    });
  }

  private ownerKey(o: Owner): string {
    return `${o.metadata?.namespace}/${o.metadata?.name}`;
  }

  private ownerDeleted(o: Owner): void {
    const key = this.ownerKey(o);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  private client(namespace: string): ResourceClient<T> {
    return this.ctx.client.resource<T>(this.kind.descriptor).namespace(namespace);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const owner = this.owners.lister().namespace(namespace).get(name);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selector(owner);
    if (!selector) return; // an invalid selector: nothing to do until the object changes
    const uid = owner.metadata?.uid ?? '';
    const candidates = ownedAndOrphans(this.pods, namespace, uid).filter(isPodActive);
    const pods = await claimObjects<Pod>(
      {
        owner,
        ownerRef: controllerRefTo(owner, this.kind.apiVersion, this.kind.kind),
        selector,
        client: this.ctx.client.resource<Pod>(resources.PODS).namespace(namespace),
        recheckOwner: recheckDeletionTimestamp(() => this.client(namespace).get(name), owner),
        kind: 'Pod',
      },
      candidates,
    );
    let manageError: unknown;
    if (needsSync && !owner.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, pods);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus({
      status: owner.status as ReplicaStatus | undefined,
      templateLabels: this.kind.template(owner)?.metadata?.labels,
      minReadySeconds: this.kind.minReadySeconds(owner),
      replicas: this.kind.replicas(owner),
      pods,
      manageError,
      nowMs: this.ctx.clock.now(),
    });
    const updated = await this.updateStatus(owner, status);
    const minReady = this.kind.minReadySeconds(owner);
    if (manageError === undefined && minReady > 0 && updated.readyReplicas === this.kind.replicas(owner) && updated.availableReplicas !== this.kind.replicas(owner)) {
      this.enqueueAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /** Creates or deletes pods to match spec.replicas, at most `burst` per sync. */
  private async manageReplicas(key: string, owner: T, pods: Pod[]): Promise<void> {
    const want = this.kind.replicas(owner);
    const diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, count);
      const ref = controllerRefTo(owner, this.kind.apiVersion, this.kind.kind);
      const template = this.kind.template(owner);
      const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        await this.podControl.create(owner, podFromTemplate(template, owner, ref));
      });
      // Creates that were never issued will never be observed.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, this.burst);
      const victims = podsToDelete(pods, this.relatedPods(owner), count, this.ctx.clock.now());
      this.expectations.expectDeletions(key, victims.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      const results = await Promise.allSettled(
        victims.map(async (p) => {
          try {
            await this.podControl.delete(owner, p.metadata?.name ?? '');
          } catch (err) {
            // The informer will not observe a deletion that did not happen.
            this.expectations.deletionObserved(key, `${p.metadata?.namespace}/${p.metadata?.name}`);
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /**
   * getIndirectlyRelatedPods: the pods of every owner sharing this one's controller (e.g. a
   * Deployment's ReplicaSets). Kubernetes lists each sibling's selector; the controller-UID index
   * gives the pods they control without scanning the namespace.
   */
  private relatedPods(owner: T): Pod[] {
    const ref = controllerOf(owner);
    if (!ref) return [];
    const ns = owner.metadata?.namespace ?? '';
    const pods = this.pods.getIndexer();
    return this.owners
      .getIndexer()
      .byIndex(CONTROLLER_UID_INDEX, ref.uid)
      .filter((sibling) => sibling.metadata?.namespace === ns)
      .flatMap((sibling) => pods.byIndex(CONTROLLER_UID_INDEX, sibling.metadata?.uid ?? ''));
  }

  /** updateReplicaSetStatus: writes the status if it changed, retrying once on a fresh copy. */
  private async updateStatus(owner: T, status: ReplicaStatus): Promise<ReplicaStatus> {
    const generation = owner.metadata?.generation ?? 0;
    if (!statusChanged(owner.status as ReplicaStatus | undefined, status, generation)) return status;
    const next = { ...status, observedGeneration: generation };
    const client = this.client(owner.metadata?.namespace ?? '');
    let current = owner;
    for (let attempt = 0; ; attempt++) {
      try {
        const written = await client.updateStatus({ ...current, status: next } as T);
        return (written.status as ReplicaStatus | undefined) ?? next;
      } catch (err) {
        if (attempt >= 1) throw err;
        current = await client.get(owner.metadata?.name ?? '');
      }
    }
  }
}
