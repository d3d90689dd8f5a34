// The scheduler cache (internal/cache): nodes and the pods bound to them, as NodeInfos, plus
// "assumed" pods — placed by the scheduler, binding in flight — that count against their node
// until the informer shows the binding (then they are confirmed) or, once binding finished, a
// TTL passes without it (then they expire). snapshot() gives each cycle a consistent view,
// cloning only the NodeInfos that changed since the last one.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { NodeInfo, podKey, podName } from '../framework/node-info.js';
import { Snapshot } from './snapshot.js';

interface PodState {
  pod: Pod;
  assumed: boolean;
  bindingFinished: boolean;
  deadline: number | undefined;
}

export const DEFAULT_ASSUMED_POD_TTL_MS = 30_000;

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  private generation = 0;
  private readonly snapshotState = new Map<string, { generation: number; info: NodeInfo }>();
  private readonly nodeGenerations = new Map<string, number>();

  constructor(options: { clock: Clock; assumedPodTtlMs?: number; logger?: Logger }) {
    this.clock = options.clock;
    this.ttlMs = options.assumedPodTtlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
    this.logger = options.logger;
  }

  private touch(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo();
      this.nodes.set(name, info);
    }
    this.nodeGenerations.set(name, ++this.generation);
    return info;
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
    info.removePod(pod);
    this.nodeGenerations.set(name, ++this.generation);
    if (!info.node && info.pods.length === 0) this.nodes.delete(name);
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
    this.touch(node.metadata?.name ?? '').setNode(node);
  }

  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods on a deleted node stay until they are deleted (as in kube-scheduler); the node goes.
    info.node = undefined;
    this.nodeGenerations.set(name, ++this.generation);
    if (info.pods.length === 0) this.nodes.delete(name);
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
    for (const name of [...this.snapshotState.keys()]) if (!this.nodes.get(name)?.node) this.snapshotState.delete(name);
    const list: NodeInfo[] = [];
    for (const [name, info] of this.nodes) {
      if (!info.node) continue;
      const gen = this.nodeGenerations.get(name) ?? 0;
      let cached = this.snapshotState.get(name);
      if (!cached || cached.generation !== gen) {
        cached = { generation: gen, info: info.clone() };
        this.snapshotState.set(name, cached);
      }
      list.push(cached.info);
    }
    return new Snapshot(list);
  }
}
