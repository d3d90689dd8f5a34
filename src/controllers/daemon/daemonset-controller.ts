// The DaemonSet controller (pkg/controller/daemon): DaemonSet, pod, ControllerRevision and node
// events wake the sets; a sync claims the set's revisions and pods, makes sure a revision exists
// for the current template (its hash labels the pods), follows planDaemonSet (plan.ts) — pods
// created from the template with the daemon tolerations and pinned to their node by node
// affinity, in slow-start batches under expectations —, writes the status and trims the history.

import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from '../../api/object.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { EventRecorder } from '../../client/events/index.js';
import { metaNamespaceKeyFunc, objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import type { ControllerContext } from '../framework/context.js';
import { QueueController, splitKey } from '../framework/controller.js';
import { ensureControllerUIDIndex } from '../framework/controller-index.js';
import { ControllerExpectations } from '../framework/expectations.js';
import { CONTROLLER_REVISION_HASH_LABEL, ensureUpdateRevision, truncateHistory } from '../framework/history.js';
import { scaledValue } from '../framework/int-or-percent.js';
import { routeOwnedObjects } from '../framework/owned-objects.js';
import { PodControl, podFromTemplate, slowStartBatch } from '../framework/pod-control.js';
import { isPodAvailable } from '../framework/pods.js';
import { claimRevisionsAndPods, selectorOf } from '../framework/workload-claims.js';
import { daemonPodSpec, nodeShouldRunDaemonPod, pinToNode, targetNodeOf } from './eligibility.js';
import { FailedPodBackoff } from './failed-pod-backoff.js';
import { planDaemonSet, type NodeState } from './plan.js';
import { computeDaemonStatus, daemonStatusChanged } from './status.js';

const KIND = 'DaemonSet';
const API_VERSION = 'apps/v1';
/** controller.SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** BurstReplicas: pods created or deleted per sync at most. */
const BURST_REPLICAS = 250;

const podKey = (p: Pod): string => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** Node changes that may change where daemons belong. */
function nodeChanged(old: Node, cur: Node): boolean {
  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return (
    JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {}) ||
    JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(cur.spec?.taints ?? []) ||
    !!old.spec?.unschedulable !== !!cur.spec?.unschedulable ||
    ready(old) !== ready(cur)
  );
}

export class DaemonSetController extends QueueController {
  readonly expectations: ControllerExpectations;
  private readonly sets: SharedIndexInformer<DaemonSet>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly revisions: SharedIndexInformer<ControllerRevision>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly failedPods = new FailedPodBackoff();

  constructor(ctx: ControllerContext, workers: number) {
    super('daemonset', ctx, { workers });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder('daemonset-controller');
    this.podControl = new PodControl((ns) => this.podClient(ns), this.recorder);
    this.sets = ctx.informers.forResource<DaemonSet>(resources.DAEMONSETS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.revisions = ctx.informers.forResource<ControllerRevision>(resources.CONTROLLERREVISIONS);
    this.nodes = ctx.informers.forResource<Node>(resources.NODES);
    ensureControllerUIDIndex(this.pods);
    ensureControllerUIDIndex(this.revisions);
    this.sets.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_, s) => this.enqueue(s),
      onDelete: (s) => {
        this.expectations.delete(metaNamespaceKeyFunc(objectOf(s)));
        this.enqueue(s);
      },
    });
    const keyOf = (ds: DaemonSet) => `${ds.metadata?.namespace}/${ds.metadata?.name}`;
    const enqueue = (ds: DaemonSet) => this.enqueue(ds);
    routeOwnedObjects<DaemonSet, Pod>(this.pods, {
      owners: this.sets,
      ownerKind: KIND,
      selector: selectorOf,
      enqueue,
      created: (ds) => this.expectations.creationObserved(keyOf(ds)),
      deleted: (ds, pod) => this.expectations.deletionObserved(keyOf(ds), podKey(pod)),
    });
    routeOwnedObjects<DaemonSet, ControllerRevision>(this.revisions, { owners: this.sets, ownerKind: KIND, selector: selectorOf, enqueue });
    const all = () => this.sets.lister().list().forEach(enqueue);
    this.nodes.addEventHandler({ onAdd: all, onUpdate: (old, cur) => nodeChanged(old, cur) && all(), onDelete: all });
  }

  private podClient(ns: string): ResourceClient<Pod> {
    return this.ctx.client.resource<Pod>(resources.PODS).namespace(ns);
  }

  private revisionClient(ns: string): ResourceClient<ControllerRevision> {
    return this.ctx.client.resource<ControllerRevision>(resources.CONTROLLERREVISIONS).namespace(ns);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.sets.lister().namespace(namespace).get(name);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const claimed = await claimRevisionsAndPods(ds, {
      client: this.ctx.client,
      descriptor: resources.DAEMONSETS,
      apiVersion: API_VERSION,
      kind: KIND,
      pods: this.pods,
      revisions: this.revisions,
    });
    if (!claimed || ds.metadata?.deletionTimestamp) return;
    const { ref, revisions, pods } = claimed;

    const update = await ensureUpdateRevision(this.revisionClient(namespace), ds, ref, ds.spec?.template, revisions, ds.status?.collisionCount ?? 0);
    const hash = update.revision.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const isAvailable = (p: Pod) => isPodAvailable(p, minReady, this.ctx.clock.now());

    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const node = targetNodeOf(p) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    const nodes: NodeState[] = this.nodes
      .lister()
      .list()
      .map((node) => ({ node, decision: nodeShouldRunDaemonPod(node, ds), pods: byNode.get(node.metadata?.name ?? '') ?? [] }));
    const known = new Set(nodes.map((n) => n.node.metadata?.name ?? ''));
    const strayPods = [...byNode].filter(([node]) => !known.has(node)).flatMap(([, p]) => p);
    const desired = nodes.filter((n) => n.decision.shouldRun).length;
    const strategy = ds.spec?.updateStrategy;
    const rolling =
      (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
        ? (() => {
            const maxSurge = scaledValue(strategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
            const maxUnavailable = scaledValue(strategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
            return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
          })()
        : undefined;

    let manageError: unknown;
    if (this.expectations.satisfied(key)) {
      const now = this.ctx.clock.now();
      const backoffKey = (node: string) => `${key}/${node}`;
      const plan = planDaemonSet({ nodes, strayPods, hash, rolling, isAvailable, inBackoff: (node) => this.failedPods.remaining(backoffKey(node), now) > 0 });
      for (const node of plan.backedOff ?? []) this.enqueueAfter(key, this.failedPods.remaining(backoffKey(node), now));
      for (const p of plan.deletePods.filter((p) => p.status?.phase === 'Failed')) {
        this.failedPods.next(backoffKey(targetNodeOf(p) ?? ''), now);
        this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${podKey(p)} on node ${targetNodeOf(p)}, will try to kill it`);
      }
      this.failedPods.gc(now);
      try {
        await this.syncNodes(key, ds, ref, hash, plan.createOn.slice(0, BURST_REPLICAS), plan.deletePods.slice(0, BURST_REPLICAS));
      } catch (err) {
        manageError = err;
      }
    }
    const status = computeDaemonStatus(nodes, hash, isAvailable, ds.metadata?.generation ?? 0, update.collisionCount);
    await this.updateStatus(ds, status);
    const liveHashes = new Set(pods.map((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL]));
    const live = new Set(update.revisions.filter((r) => r === update.revision || liveHashes.has(r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL])).map((r) => r.metadata?.name ?? ''));
    await truncateHistory(this.revisionClient(namespace), update.revisions, live, ds.spec?.revisionHistoryLimit ?? 10);
    if (manageError !== undefined) throw manageError;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) this.enqueueAfter(key, minReady * 1000);
  }

  /** syncNodes: creates pinned pods in slow-start batches and deletes the others, under expectations. */
  private async syncNodes(key: string, ds: DaemonSet, ref: OwnerReference, hash: string, createOn: string[], deletePods: Pod[]): Promise<void> {
    const template = { ...ds.spec?.template, metadata: { ...ds.spec?.template?.metadata, labels: { ...ds.spec?.template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } } };
    this.expectations.expect(key, createOn.length, deletePods.map(podKey));
    const queue = [...createOn];
    const creates = slowStartBatch(createOn.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      const node = queue.shift() ?? '';
      const pod = podFromTemplate({ ...template, spec: pinToNode(daemonPodSpec(ds), node) }, ds, ref);
      await this.podControl.create(ds, pod);
    });
    const deletes = Promise.allSettled(
      deletePods.map(async (p) => {
        try {
          await this.podControl.delete(ds, p.metadata?.name ?? '');
        } catch (err) {
          this.expectations.deletionObserved(key, podKey(p));
          if (!isNotFound(err)) throw err;
        }
      }),
    );
    const [created, deleted] = await Promise.all([creates, deletes]);
    for (let i = created.successes; i < createOn.length; i++) this.expectations.creationObserved(key);
    if (created.error !== undefined) throw created.error;
    const failed = deleted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async updateStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    if (!daemonStatusChanged(ds.status, status)) return;
    const client = this.ctx.client.resource<DaemonSet>(resources.DAEMONSETS).namespace(ds.metadata?.namespace ?? '');
    const next = { ...status, ...(ds.status?.conditions ? { conditions: ds.status.conditions } : {}) };
    try {
      await client.updateStatus({ ...ds, status: next });
    } catch (err) {
      if (isNotFound(err)) return;
      const fresh = await client.get(ds.metadata?.name ?? '');
      await client.updateStatus({ ...fresh, status: next });
    }
  }
}
