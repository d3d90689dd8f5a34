// Pod garbage collection (pkg/controller/podgc), every --pod-gc-period (Kubernetes: 20 s):
// - terminated pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold are deleted, evicted
//   ones first, then oldest first;
// - terminating pods on a node that is not Ready and carries the node.kubernetes.io/out-of-service
//   taint are force-deleted (the node is known to be down: nothing will finish them);
// - pods bound to a node that does not exist are deleted once the node has been missing for the
//   quarantine (--pod-gc-quarantine, Kubernetes: 40 s) and a live GET confirms it is gone; they are
//   first marked Failed with DisruptionTarget (DeletionByPodGC, "PodGC: node no longer exists");
// - terminating pods that were never scheduled are force-deleted.
// Deletions have grace period 0; a pod that is not terminal is marked Failed first.

import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { formatTime, parseTime } from '../../api/meta.js';
import { messageOf } from '../../api/status.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import type { Logger } from '../../util/log.js';
import type { Controller } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';

const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

const isTerminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isEvicted = (p: Pod) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted';

/** Evicted pods first, then by creation time, then by name (byEvictionAndCreationTimestamp). */
export function byEvictionAndCreation(a: Pod, b: Pod): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** The terminated pods to delete to get down to `threshold` (0: keep all). */
export function terminatedToDelete(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isTerminated);
  const excess = terminated.length - threshold;
  return excess > 0 ? [...terminated].sort(byEvictionAndCreation).slice(0, excess) : [];
}

export class PodGcController implements Controller {
  readonly name = 'podgc';
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly log: Logger;
  /** Nodes seen missing, and since when. */
  private readonly quarantine = new Map<string, number>();
  private running = false;

  constructor(private readonly ctx: ControllerContext) {
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.nodes = ctx.informers.forResource<Node>(resources.NODES);
    this.log = ctx.logger.child(this.name);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const timer = this.ctx.clock.setInterval(() => void this.gc(), this.ctx.settings.podGcPeriodMs);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    timer.cancel();
  }

  /** One pass. */
  async gc(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const pods = this.pods.lister().list();
      for (const pod of terminatedToDelete(pods, this.ctx.settings.terminatedPodGcThreshold)) await this.deletePod(pod);
      await this.gcTerminating(pods);
      await this.gcOrphaned(pods);
      for (const pod of pods.filter((p) => p.metadata?.deletionTimestamp && !p.spec?.nodeName).sort(byEvictionAndCreation)) await this.deletePod(pod);
    } catch (err) {
      this.log.warn('pod GC pass failed', { error: messageOf(err) });
    } finally {
      this.running = false;
    }
  }

  private async gcTerminating(pods: readonly Pod[]): Promise<void> {
    const victims = pods.filter((p) => {
      if (!p.metadata?.deletionTimestamp || !p.spec?.nodeName) return false;
      const node = this.nodes.lister().get(p.spec.nodeName);
      if (!node) return false;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return !ready && (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
    });
    for (const pod of victims.sort(byEvictionAndCreation)) await this.deletePod(pod);
  }

  private async gcOrphaned(pods: readonly Pod[]): Promise<void> {
    const now = this.ctx.clock.now();
    const existing = new Set(this.nodes.lister().list().map((n) => n.metadata?.name ?? ''));
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (node && !existing.has(node) && !this.quarantine.has(node)) this.quarantine.set(node, now);
    }
    const deleted = new Set<string>();
    for (const [node, since] of [...this.quarantine]) {
      if (existing.has(node)) {
        this.quarantine.delete(node);
        continue;
      }
      if (now - since < this.ctx.settings.podGcQuarantineMs) continue;
      this.quarantine.delete(node);
      // The cache may lag: ask the API server.
      try {
        await this.ctx.client.resource<Node>(resources.NODES).get(node);
      } catch (err) {
        if (isNotFound(err)) deleted.add(node);
        else this.log.warn('cannot check node', { node, error: messageOf(err) });
      }
    }
    for (const pod of pods) {
      if (!deleted.has(pod.spec?.nodeName ?? '')) continue;
      this.log.info('deleting orphaned pod', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: pod.spec?.nodeName });
      await this.deletePod(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  }

  /** markFailedAndDeletePodWithCondition: a pod still running is marked Failed first; then deleted with grace 0. */
  private async deletePod(pod: Pod, condition?: PodCondition): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const client = this.ctx.client.resource<Pod>(resources.PODS).namespace(namespace);
    try {
      if (!isTerminated(pod)) {
        const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== condition?.type)];
        if (condition) conditions.push({ ...condition, lastTransitionTime: formatTime(this.ctx.clock.now()) });
        await client.patch(name, 'merge', { status: { phase: 'Failed', conditions } }, { subresource: 'status' });
      }
      await client.delete(name, { gracePeriodSeconds: 0, ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) });
    } catch (err) {
      if (!isNotFound(err)) this.log.warn('cannot delete pod', { pod: `${namespace}/${name}`, error: messageOf(err) });
    }
  }
}
