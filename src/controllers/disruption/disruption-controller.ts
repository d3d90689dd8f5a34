// The disruption controller (pkg/controller/disruption): keeps every PodDisruptionBudget's status —
// expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods and the
// DisruptionAllowed condition — current with its pods, which the eviction API and the scheduler's
// preemption consult. Percentages and maxUnavailable take the scale of the pods' controllers
// (ReplicaSet or its Deployment, ReplicationController, StatefulSet); pods without one make the
// budget fail safe (no disruptions allowed, reason SyncFailed).

import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import { formatTime } from '../../api/meta.js';
import type { KubeObject } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels/index.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { budgetCounts } from './budget.js';

/** How long an eviction's pod may take to be deleted before it counts as healthy again (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** What the scale lookup needs of a controller: its replicas and its own owner. */
type Scalable = KubeObject & { spec?: { replicas?: number } };

export class DisruptionController extends QueueController {
  private readonly pdbs: SharedIndexInformer<PodDisruptionBudget>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly owners: Record<string, SharedIndexInformer<Scalable>>;

  constructor(ctx: ControllerContext) {
    super('disruption', ctx, { workers: ctx.settings.concurrentSyncs });
    this.pdbs = ctx.informers.forResource<PodDisruptionBudget>(resources.PODDISRUPTIONBUDGETS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.owners = {
      ReplicaSet: ctx.informers.forResource<ReplicaSet>(resources.REPLICASETS) as SharedIndexInformer<Scalable>,
      Deployment: ctx.informers.forResource<Deployment>(resources.DEPLOYMENTS) as SharedIndexInformer<Scalable>,
      StatefulSet: ctx.informers.forResource<StatefulSet>(resources.STATEFULSETS) as SharedIndexInformer<Scalable>,
      ReplicationController: ctx.informers.forResource<ReplicationController>(resources.REPLICATIONCONTROLLERS) as SharedIndexInformer<Scalable>,
    };
    this.pdbs.addEventHandler({ onAdd: (p) => this.enqueue(p), onUpdate: (_, p) => this.enqueue(p), onDelete: (p) => this.enqueue(p) });
    const onPod = (pod: Pod | DeletedFinalStateUnknown<Pod>) => this.enqueueBudgetsOf(objectOf(pod));
    this.pods.addEventHandler({ onAdd: onPod, onUpdate: (_, p) => onPod(p), onDelete: onPod });
  }

  private enqueueBudgetsOf(pod: Pod): void {
    for (const pdb of this.pdbs.lister().namespace(pod.metadata?.namespace ?? 'default').list()) {
      if (this.selects(pdb, pod)) this.enqueue(pdb);
    }
  }

  private selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
    const sel = pdb.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return false;
    try {
      return selectorFromLabelSelector(sel).matches(pod.metadata?.labels ?? {});
    } catch {
      return false;
    }
  }

  /** The summed replicas of the pods' controllers, each counted once. */
  private expectedScale(pods: Pod[], namespace: string): number {
    const seen = new Set<string>();
    let total = 0;
    for (const pod of pods) {
      const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
      if (!ref) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
      let owner = this.owners[ref.kind]?.lister().namespace(namespace).get(ref.name);
      if (!owner) throw new Error(`found no controller ${ref.kind}/${ref.name} for pod "${pod.metadata?.name}"`);
      let key = `${ref.kind}/${ref.name}`;
      // A Deployment's ReplicaSets share its scale.
      const deployRef = ref.kind === 'ReplicaSet' ? owner.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment') : undefined;
      if (deployRef) {
        const deployment = this.owners['Deployment']!.lister().namespace(namespace).get(deployRef.name);
        if (deployment) {
          owner = deployment;
          key = `Deployment/${deployRef.name}`;
        }
      }
      if (seen.has(key)) continue;
      seen.add(key);
      total += owner.spec?.replicas ?? 1;
    }
    return total;
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbs.lister().namespace(namespace).get(name);
    if (!pdb) return;
    const now = this.ctx.clock.now();
    const pods = this.pods.lister().namespace(namespace).list().filter((p) => this.selects(pdb, p));

    // disruptedPods: evictions not yet seen through; dropped once the pod is deleted or overdue.
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const pod of pods) {
      const at = pdb.status?.disruptedPods?.[pod.metadata?.name ?? ''];
      if (!at || pod.metadata?.deletionTimestamp) continue;
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expires < now) continue;
      disrupted[pod.metadata?.name ?? ''] = at;
      recheckAt = Math.min(recheckAt ?? Infinity, expires);
    }

    let status: NonNullable<PodDisruptionBudget['status']>;
    let condition: Condition;
    const base = { ...pdb, status: { ...pdb.status, disruptedPods: disrupted } } as PodDisruptionBudget;
    try {
      const counts = budgetCounts(base, pods, () => this.expectedScale(pods, namespace));
      const allowed = counts.disruptionsAllowed > 0;
      status = { ...counts, disruptedPods: disrupted, observedGeneration: pdb.metadata?.generation ?? 0 } as NonNullable<PodDisruptionBudget['status']>;
      condition = { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '', lastTransitionTime: '', observedGeneration: pdb.metadata?.generation ?? 0 };
    } catch (err) {
      this.ctx.recorder('controllermanager').event({ ...pdb, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(err as Error).message}`);
      status = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0, disruptedPods: disrupted, observedGeneration: pdb.metadata?.generation ?? 0 } as NonNullable<PodDisruptionBudget['status']>;
      condition = { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: (err as Error).message, lastTransitionTime: '', observedGeneration: pdb.metadata?.generation ?? 0 };
    }
    const previous = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    condition.lastTransitionTime = previous && previous.status === condition.status ? previous.lastTransitionTime : formatTime(now);
    status.conditions = [...(pdb.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed'), condition];
    if (recheckAt !== undefined) this.enqueueAfter(key, Math.max(0, recheckAt - now) + 1);
    if (JSON.stringify(pdb.status ?? {}) === JSON.stringify(status)) return;
    await this.ctx.client.resource<PodDisruptionBudget>(resources.PODDISRUPTIONBUDGETS).namespace(namespace).updateStatus({ ...pdb, status });
  }
}
