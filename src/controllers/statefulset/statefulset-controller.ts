// The StatefulSet controller (pkg/controller/statefulset): pods and ControllerRevision events wake
// their set; a sync claims the set's revisions and pods (adopting orphans named `<set>-<n>`),
// makes sure a revision exists for the current template, follows planStatefulSet (plan.ts) —
// creating each pod after its claims, deleting failed, condemned and outdated pods —, writes the
// status and trims the revision history.

import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from '../../api/object.js';
import { messageOf } from '../../api/status.js';
import { isAlreadyExists, isNotFound } from '../../api/status-predicates.js';
import type { EventRecorder } from '../../client/events/index.js';
import { type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import type { ControllerContext } from '../framework/context.js';
import { QueueController, splitKey } from '../framework/controller.js';
import { ensureControllerUIDIndex } from '../framework/controller-index.js';
import { ensureUpdateRevision, templateOf, truncateHistory } from '../framework/history.js';
import { routeOwnedObjects } from '../framework/owned-objects.js';
import { isPodAvailable } from '../framework/pods.js';
import { claimRevisionsAndPods, selectorOf } from '../framework/workload-claims.js';
import { claimsFor, newStatefulSetPod, ordinalOf, podRevision, startOrdinal } from './identity.js';
import { planStatefulSet, type StatefulAction } from './plan.js';
import { computeStatus, statusChanged } from './status.js';

const KIND = 'StatefulSet';
const API_VERSION = 'apps/v1';

export class StatefulSetController extends QueueController {
  private readonly sets: SharedIndexInformer<StatefulSet>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly revisions: SharedIndexInformer<ControllerRevision>;
  private readonly claims: SharedIndexInformer<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext, workers: number) {
    super('statefulset', ctx, { workers });
    this.recorder = ctx.recorder('statefulset-controller');
    this.sets = ctx.informers.forResource<StatefulSet>(resources.STATEFULSETS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.revisions = ctx.informers.forResource<ControllerRevision>(resources.CONTROLLERREVISIONS);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS);
    ensureControllerUIDIndex(this.pods);
    ensureControllerUIDIndex(this.revisions);
    this.sets.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_, s) => this.enqueue(s), onDelete: (s) => this.enqueue(s) });
    const routing = { owners: this.sets, ownerKind: KIND, selector: selectorOf, enqueue: (s: StatefulSet) => this.enqueue(s) };
    routeOwnedObjects(this.pods, routing);
    routeOwnedObjects(this.revisions, routing);
  }

  private podClient(ns: string): ResourceClient<Pod> {
    return this.ctx.client.resource<Pod>(resources.PODS).namespace(ns);
  }

  private revisionClient(ns: string): ResourceClient<ControllerRevision> {
    return this.ctx.client.resource<ControllerRevision>(resources.CONTROLLERREVISIONS).namespace(ns);
  }

  private claimClient(ns: string): ResourceClient<PersistentVolumeClaim> {
    return this.ctx.client.resource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS).namespace(ns);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const set = this.sets.lister().namespace(namespace).get(name);
    if (!set) return;
    const claimed = await claimRevisionsAndPods(set, {
      client: this.ctx.client,
      descriptor: resources.STATEFULSETS,
      apiVersion: API_VERSION,
      kind: KIND,
      pods: this.pods,
      revisions: this.revisions,
      podFilter: (p) => ordinalOf(set, p) !== undefined,
    });
    if (!claimed || set.metadata?.deletionTimestamp) return;
    const { ref, revisions, pods } = claimed;

    const update = await ensureUpdateRevision(this.revisionClient(namespace), set, ref, set.spec?.template, revisions, set.status?.collisionCount ?? 0);
    const updateRevision = update.revision;
    const currentRevision = update.revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? updateRevision;
    const minReady = set.spec?.minReadySeconds ?? 0;
    const isAvailable = (p: Pod) => isPodAvailable(p, minReady, this.ctx.clock.now());
    const byOrdinal = new Map(pods.map((p) => [ordinalOf(set, p)!, p]));
    const strategy = set.spec?.updateStrategy;
    const plan = planStatefulSet({
      replicas: set.spec?.replicas ?? 1,
      start: startOrdinal(set),
      pods: byOrdinal,
      monotonic: (set.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady',
      partition: (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' ? (strategy?.rollingUpdate?.partition ?? 0) : undefined,
      updateRevision: updateRevision.metadata?.name ?? '',
      isAvailable,
    });
    const run = (a: StatefulAction) => (a.type === 'create' ? this.createPod(set, ref, a.ordinal, a.revision === 'current' ? currentRevision : updateRevision) : this.deletePod(set, a.pod, a.reason));
    // A pending pod whose claims went missing gets them back (createMissingPersistentVolumeClaims).
    const pending = pods.filter((p) => (p.status?.phase ?? 'Pending') === 'Pending' && !p.metadata?.deletionTimestamp);
    const results = await Promise.allSettled([
      ...plan.actions.map(run),
      ...pending.map((p) => this.ensureClaims(set, ref, ordinalOf(set, p) ?? 0, p.metadata?.name ?? '')),
    ]);

    const status = computeStatus({
      set,
      pods,
      currentRevision: currentRevision.metadata?.name ?? '',
      updateRevision: updateRevision.metadata?.name ?? '',
      collisionCount: update.collisionCount,
      isAvailable,
    });
    await this.updateStatus(set, status);
    const live = new Set([status.currentRevision ?? '', status.updateRevision ?? '', ...pods.map((p) => podRevision(p) ?? '')]);
    await truncateHistory(this.revisionClient(namespace), update.revisions, live, set.spec?.revisionHistoryLimit ?? 10);

    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // A pod Ready but not yet available (minReadySeconds): look again once it is.
    if (minReady > 0 && pods.some((p) => p.status?.phase === 'Running' && !isAvailable(p))) this.enqueueAfter(key, minReady * 1000);
  }

  /** createPersistentVolumeClaims: the pod's missing claims (owned by the set under whenDeleted: Delete). */
  private async ensureClaims(set: StatefulSet, ref: OwnerReference, ordinal: number, podName: string): Promise<void> {
    const ns = set.metadata?.namespace ?? '';
    const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    for (const claim of claimsFor(set, ordinal)) {
      const claimName = claim.metadata?.name ?? '';
      if (this.claims.lister().namespace(ns).get(claimName)) continue;
      if (deleteWithSet) claim.metadata!.ownerReferences = [{ ...ref, controller: false, blockOwnerDeletion: false }];
      try {
        await this.claimClient(ns).create(claim);
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${set.metadata?.name} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claimName} for Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${messageOf(err)}`);
        throw err;
      }
    }
  }

  /** The pod of an ordinal, after its claims; a name already taken means the cache is behind. */
  private async createPod(set: StatefulSet, ref: OwnerReference, ordinal: number, revision: ControllerRevision): Promise<void> {
    const ns = set.metadata?.namespace ?? '';
    const pod = newStatefulSetPod(set, templateOf(revision), revision.metadata?.name ?? '', ordinal, ref);
    const podName = pod.metadata?.name ?? '';
    await this.ensureClaims(set, ref, ordinal, podName);
    try {
      await this.podClient(ns).create(pod);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${set.metadata?.name} successful`);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${messageOf(err)}`);
      throw err;
    }
  }

  /** Deletes a pod; a condemned pod under whenScaled: Delete first becomes the owner of its claims, so they go with it. */
  private async deletePod(set: StatefulSet, pod: Pod, reason: 'failed' | 'condemned' | 'update'): Promise<void> {
    const ns = set.metadata?.namespace ?? '';
    const podName = pod.metadata?.name ?? '';
    if (reason === 'condemned' && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
      const podRef: OwnerReference = { apiVersion: 'v1', kind: 'Pod', name: podName, uid: pod.metadata?.uid ?? '', controller: false, blockOwnerDeletion: false };
      for (const claim of claimsFor(set, ordinalOf(set, pod) ?? -1)) {
        const existing = this.claims.lister().namespace(ns).get(claim.metadata?.name ?? '');
        if (!existing || existing.metadata?.ownerReferences?.some((r) => r.uid === podRef.uid)) continue;
        await this.claimClient(ns).patch(existing.metadata?.name ?? '', 'strategic', { metadata: { ownerReferences: [podRef], uid: existing.metadata?.uid } });
      }
    }
    if (reason === 'failed') this.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${set.metadata?.name} is recreating failed Pod ${podName}`);
    try {
      await this.podClient(ns).delete(podName, { preconditions: { uid: pod.metadata?.uid ?? '' } });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${set.metadata?.name} successful`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${messageOf(err)}`);
      throw err;
    }
  }

  private async updateStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (!statusChanged(set.status, status)) return;
    const client = this.ctx.client.resource<StatefulSet>(resources.STATEFULSETS).namespace(set.metadata?.namespace ?? '');
    try {
      await client.updateStatus({ ...set, status });
    } catch (err) {
      if (isNotFound(err)) return;
      const fresh = await client.get(set.metadata?.name ?? '');
      await client.updateStatus({ ...fresh, status });
    }
  }
}
