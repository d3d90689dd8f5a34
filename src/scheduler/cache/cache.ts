// The scheduler cache (internal/cache): nodes and the pods bound to them, as NodeInfos, plus
// "assumed" pods — placed by the scheduler, binding in flight — that count against their node
// until the informer shows the binding (then they are confirmed) or, once binding finished, a
// TTL passes without it (then they expire). snapshot() gives each cycle a consistent view, built
// as kube-scheduler's UpdateSnapshot does: only the NodeInfos changed since the last snapshot's
// generation are cloned (found by walking node-list.ts from its head), and the node list and the
// affinity node lists are rebuilt only when nodes come or go or a node starts or stops holding
// pods with (anti-)affinity; otherwise the previous list is copied with the changed entries
// replaced, so earlier snapshots stay as they were.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { nodeImages } from '../framework/images.js';
import { podKey, podName, type NodeInfo } from '../framework/node-info.js';
import { NodeList } from './node-list.js';
import { Snapshot, indexOf, positions } from './snapshot.js';

interface PodState {
  pod: Pod;
  assumed: boolean;
  bindingFinished: boolean;
  deadline: number | undefined;
}

export const DEFAULT_ASSUMED_POD_TTL_MS = 30_000;

export class SchedulerCache {
  private readonly nodes = new NodeList();
  private readonly pods = new Map<string, PodState>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  private lastSnapshot = new Snapshot([], new Map(), [], [], 0);
  /** The NodeInfo clones of the last snapshot, by name. */
  private readonly clones = new Map<string, NodeInfo>();
  /** A NodeInfo gained or lost its Node (or was deleted) since the last snapshot. */
  private nodeSetChanged = false;

  constructor(options: { clock: Clock; assumedPodTtlMs?: number; logger?: Logger }) {
    this.clock = options.clock;
    this.ttlMs = options.assumedPodTtlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
    this.logger = options.logger;
  }

  private touch(name: string): NodeInfo {
    return this.nodes.touch(name);
  }

  private deleteInfo(name: string): void {
    this.nodes.delete(name);
    this.nodeSetChanged = true;
  }

  private addToNode(pod: Pod): void {
    const name = pod.spec?.nodeName;
    if (!name) return;
    this.touch(name).addPod(pod);
  }

  private removeFromNode(pod: Pod): void {
    const name = pod.spec?.nodeName;
    if (!name) return;
    const info = this.nodes.get(name);
    if (!info) return;
    this.touch(name).removePod(pod);
    if (!info.node && info.pods.length === 0) this.deleteInfo(name);
  }

  /** The scheduler placed the pod on pod.spec.nodeName (a copy with nodeName set). */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) throw new Error(`pod ${podName(pod)} is in the cache, so can't be assumed`);
    this.addToNode(pod);
    this.pods.set(key, { pod, assumed: true, bindingFinished: false, deadline: undefined });
  }

  /** Binding returned; the assumed pod expires if the informer does not confirm it within the TTL. */
  finishBinding(pod: Pod): void {
    const s = this.pods.get(podKey(pod));
    if (s?.assumed) {
      s.bindingFinished = true;
      s.deadline = this.clock.now() + this.ttlMs;
    }
  }

  /** Undo an assumption (binding failed). */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (!s?.assumed) return;
    this.removeFromNode(s.pod);
    this.pods.delete(key);
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  /** A bound pod seen through the informer (confirms an assumed one). */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (s) {
      if (s.assumed && s.pod.spec?.nodeName !== pod.spec?.nodeName) this.logger?.warn('pod was assumed on one node but bound to another', { pod: podName(pod) });
      this.removeFromNode(s.pod);
    }
    this.addToNode(pod);
    this.pods.set(key, { pod, assumed: false, bindingFinished: false, deadline: undefined });
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    this.addPod(newPod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (!s) return;
    this.removeFromNode(s.pod);
    this.pods.delete(key);
  }

  addNode(node: Node): void {
    const info = this.touch(node.metadata?.name ?? '');
    if (!info.node) this.nodeSetChanged = true;
    info.setNode(node);
  }

  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods on a deleted node stay until they are deleted (as in kube-scheduler); the node goes.
    this.touch(name).node = undefined;
    this.nodeSetChanged = true;
    if (info.pods.length === 0) this.deleteInfo(name);
  }

  /** Drops assumed pods whose binding finished more than the TTL ago without confirmation. */
  cleanupExpiredAssumedPods(): void {
    const now = this.clock.now();
    for (const s of [...this.pods.values()]) {
      if (s.assumed && s.bindingFinished && s.deadline !== undefined && now >= s.deadline) {
        this.logger?.warn('assumed pod expired', { pod: podName(s.pod) });
        this.removeFromNode(s.pod);
        this.pods.delete(podKey(s.pod));
      }
    }
  }

  nodeCount(): number {
    let n = 0;
    for (const info of this.nodes.values()) if (info.node) n++;
    return n;
  }

  podCount(): number {
    return this.pods.size;
  }

  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** A consistent view of the nodes with their pods (those with a Node object only). */
  snapshot(): Snapshot {
    const prev = this.lastSnapshot;
    const generation = this.nodes.currentGeneration();
    if (generation === prev.generation && !this.nodeSetChanged) return prev;
    // Clone what changed since the last snapshot: the items newer than its generation.
    const changed: NodeInfo[] = [];
    let affinityChanged = false;
    let imagesChanged = false;
    for (let item = this.nodes.head(); item && item.generation > prev.generation; item = item.next) {
      const info = item.info;
      if (!info.node) continue; // not in snapshots (a Node lost is a node-set change)
      const clone = info.clone();
      const old = this.clones.get(item.name);
      if (!old) this.nodeSetChanged = true;
      else if (old.node !== clone.node && !sameImages(nodeImages(old.node), nodeImages(clone.node))) imagesChanged = true;
      if (old && (hasAny(old.podsWithAffinity) !== hasAny(clone.podsWithAffinity) || hasAny(old.podsWithRequiredAntiAffinity) !== hasAny(clone.podsWithRequiredAntiAffinity))) affinityChanged = true;
      this.clones.set(item.name, clone);
      changed.push(clone);
    }
    let next: Snapshot;
    if (this.nodeSetChanged) {
      // Nodes came or went: the list again, in the cache's order.
      const list: NodeInfo[] = [];
      for (const [name, item] of this.nodes.entries()) {
        if (!item.info.node) {
          this.clones.delete(name);
          continue;
        }
        list.push(this.clones.get(name)!);
      }
      for (const name of [...this.clones.keys()]) if (!this.nodes.get(name)?.node) this.clones.delete(name);
      next = new Snapshot(list, indexOf(list), undefined, undefined, generation);
      this.nodeSetChanged = false;
    } else {
      const parts = prev.parts();
      const list = parts.nodes.slice();
      for (const c of changed) list[parts.index.get(c.name)!] = c;
      const images = imagesChanged ? {} : parts.images;
      next = affinityChanged
        ? new Snapshot(list, parts.index, positions(list, (n) => n.podsWithAffinity.length > 0), positions(list, (n) => n.podsWithRequiredAntiAffinity.length > 0), generation, images)
        : new Snapshot(list, parts.index, parts.withAffinity, parts.withRequiredAntiAffinity, generation, images);
    }
    this.lastSnapshot = next;
    return next;
  }
}

function sameImages(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

function hasAny(list: readonly unknown[]): boolean {
  return list.length > 0;
}
