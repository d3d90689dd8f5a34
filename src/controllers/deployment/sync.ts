// What every Deployment sync shares (pkg/controller/deployment/sync.go): finding or creating the
// new ReplicaSet (pod-template-hash, revision annotations, collisionCount on a name clash),
// scaling ReplicaSets with ScalingReplicaSet events, proportional scaling when the Deployment is
// resized mid-rollout, cleanup of old ReplicaSets beyond revisionHistoryLimit, the paused
// condition, and the status with its Available condition.

import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isAlreadyExists, isNotFound } from '../../api/status-predicates.js';
import { messageOf } from '../../api/status.js';
import type { EventRecorder } from '../../client/events/index.js';
import type { Lister } from '../../client/informer/index.js';
import { resources, type RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import { hasStatusCause } from '../../api/status-predicates.js';
import { controllerRefTo } from '../framework/pods.js';
import { computeHash } from '../framework/hash.js';
import { filterActive, maxReplicasAnnotation, findNewReplicaSet, findOldReplicaSets, byCreation, bySizeNewer, bySizeOlder, byRevision, desiredReplicasAnnotation, equalIgnoreHash, getCondition, hasProgressDeadline, isSaturated, maxRevision, newCondition, POD_TEMPLATE_HASH_LABEL, Reasons, PROGRESSING, AVAILABLE, replicasAnnotationsNeedUpdate, setCondition, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from './util.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, proportion, isRollingUpdate, replicasOf, specReplicas, sumSpec, sumStatus } from './fenceposts.js';
import { controllerOf } from '../../api/meta.js';

export class DeploymentSync {
  constructor(
    private readonly client: RestClient,
    private readonly rsLister: Lister<ReplicaSet>,
    readonly recorder: EventRecorder,
    readonly clock: Clock,
  ) {}

  private rsClient(ns: string) {
    return this.client.resource<ReplicaSet>(resources.REPLICASETS).namespace(ns);
  }

  /** UpdateStatus of the (mutated) Deployment; returns the written object. */
  async updateStatus(d: Deployment): Promise<Deployment> {
    const written = await this.client.resource<Deployment>(resources.DEPLOYMENTS).namespace(d.metadata?.namespace ?? '').updateStatus(d);
    d.metadata = written.metadata;
    return written;
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) and the old ones. */
  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: readonly ReplicaSet[], create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(findNewReplicaSet(d, rsList), rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const ns = d.metadata?.namespace ?? '';
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyChanged) {
        copy.spec!.minReadySeconds = d.spec?.minReadySeconds ?? 0;
        return this.rsClient(ns).update(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reasons.FoundNewRS, `Found new replica set "${copy.metadata?.name}"`, this.clock.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d);
      return copy;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec!.template);
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: ns,
        ownerReferences: [controllerRefTo(d, 'apps/v1', 'Deployment')],
        labels: template.metadata.labels,
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.rsClient(ns).create(newRS);
    } catch (err) {
      if (isAlreadyExists(err)) {
        const rs = this.rsLister.namespace(ns).get(newRS.metadata!.name!);
        if (!rs) throw err;
        if (controllerOf(rs)?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
          created = rs;
          alreadyExists = true;
        } else {
          // A hash collision: bump collisionCount so the next sync computes another name.
          const status = (d.status ??= {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          try {
            await this.updateStatus(d);
          } catch {
            // retried with the sync
          }
          throw err;
        }
      } else if (hasStatusCause(err, 'NamespaceTerminating')) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata?.name}": ${messageOf(err)}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', Reasons.FailedRSCreate, msg, this.clock.now()));
          await this.updateStatus(d).catch(() => undefined);
        }
        this.recorder.event(d, 'Warning', Reasons.FailedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExists && replicas > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${replicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata?.name}"`, this.clock.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d);
    return created;
  }

  /** scaleReplicaSetAndRecordEvent. */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d);
  }

  /** scaleReplicaSet: writes the size and the replica annotations; a ScalingReplicaSet event when the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec!.replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const written = await this.rsClient(rs.metadata?.namespace ?? '').update(copy);
    if (sizeNeedsUpdate) {
      const op = oldScale < newScale ? 'up' : 'down';
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${written.metadata?.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: written };
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  async isScalingEvent(d: Deployment, rsList: readonly ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of filterActive([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== replicasOf(d)) return true;
    }
    return false;
  }

  /** scale: resizes ReplicaSets to a new Deployment size, proportionally across active ones mid-rollout. */
  async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) === replicasOf(d)) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, replicasOf(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = filterActive([...oldRSs, newRS]);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(all);
    if (toAdd > 0) all.sort(bySizeNewer);
    else if (toAdd < 0) all.sort(bySizeOlder);
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added, maxReplicasAnnotation(rs));
        sizes.set(rs.metadata?.name ?? '', specReplicas(rs) + p);
        added += p;
      } else sizes.set(rs.metadata?.name ?? '', specReplicas(rs));
    }
    for (const [i, rs] of all.entries()) {
      const name = rs.metadata?.name ?? '';
      if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(name) ?? 0, d);
    }
  }

  /** cleanupDeployment: deletes the oldest ReplicaSets beyond revisionHistoryLimit that are fully scaled down. */
  async cleanupDeployment(oldRSs: readonly ReplicaSet[], d: Deployment): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient(rs.metadata?.namespace ?? '').delete(rs.metadata?.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
  async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === Reasons.TimedOut) return;
    const pausedCondExists = cond?.reason === Reasons.PausedDeploy;
    const now = this.clock.now();
    if (d.spec?.paused && !pausedCondExists) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', Reasons.PausedDeploy, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedCondExists) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', Reasons.ResumedDeploy, 'Deployment is resumed', now));
    } else return;
    const written = await this.updateStatus(d);
    d.status = written.status;
  }

  /** calculateStatus: counts over every ReplicaSet, and the Available condition. */
  calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatus {
    const available = sumStatus(allRSs, 'availableReplicas');
    const total = sumSpec(allRSs);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata?.generation ?? 0,
      replicas: sumStatus(allRSs, 'replicas'),
      updatedReplicas: sumStatus([newRS], 'replicas'),
      readyReplicas: sumStatus(allRSs, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      conditions: [...(d.status?.conditions ?? [])],
    };
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const now = this.clock.now();
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition(AVAILABLE, 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
    } else {
      setCondition(status, newCondition(AVAILABLE, 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
    }
    return status;
  }

  /** syncDeploymentStatus: writes the calculated status if it differs. */
  async syncDeploymentStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = this.calculateStatus(allRSs, newRS, d);
    if (statusEqual(d.status, status)) return;
    await this.updateStatus({ ...d, status });
  }

  /** sync: scaling and paused Deployments — resize, clean up when paused, write the status. */
  async sync(d: Deployment, rsList: readonly ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** reflect.DeepEqual of two statuses, as JSON with missing and empty treated alike. */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus | undefined) =>
    JSON.stringify({
      observedGeneration: s?.observedGeneration ?? 0,
      replicas: s?.replicas ?? 0,
      updatedReplicas: s?.updatedReplicas ?? 0,
      readyReplicas: s?.readyReplicas ?? 0,
      availableReplicas: s?.availableReplicas ?? 0,
      unavailableReplicas: s?.unavailableReplicas ?? 0,
      collisionCount: s?.collisionCount ?? null,
      conditions: s?.conditions ?? [],
    });
  return norm(a) === norm(b);
}
