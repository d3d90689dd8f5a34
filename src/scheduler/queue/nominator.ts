// The nominator (kube-scheduler's nominator in the scheduling queue): which unbound pods are
// nominated to run on which node — from their status.nominatedNodeName, or from this scheduler's
// own preemption before that status is written — so that scheduling counts them against the node
// and another pod does not take the room a preemption freed.

import type { Pod } from 'kubernetes-types/core/v1.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, Pod>>();
  private readonly nodeOf = new Map<string, string>();

  /** Records (or moves) the pod's nomination; `nodeName` overrides its status. "" removes it. */
  add(pod: Pod, nodeName?: string): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const node = nodeName ?? pod.status?.nominatedNodeName ?? '';
    this.delete(pod);
    if (!node) return;
    let pods = this.byNode.get(node);
    if (!pods) this.byNode.set(node, (pods = new Map()));
    pods.set(uid, pod);
    this.nodeOf.set(uid, node);
  }

  /** Keeps the nomination current as the pod changes: a status nomination wins over none. */
  update(oldPod: Pod, newPod: Pod): void {
    const uid = newPod.metadata?.uid ?? '';
    // An update that does not carry a nomination keeps the one this scheduler made.
    const kept = newPod.status?.nominatedNodeName || (oldPod.status?.nominatedNodeName ? '' : (this.nodeOf.get(uid) ?? ''));
    this.add(newPod, kept);
  }

  delete(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const pods = this.byNode.get(node);
    pods?.delete(uid);
    if (pods?.size === 0) this.byNode.delete(node);
  }

  /** Whether any pod is nominated. */
  get size(): number {
    return this.nodeOf.size;
  }

  /** The pods nominated to the node. */
  podsForNode(nodeName: string): Pod[] {
    const pods = this.byNode.get(nodeName);
    return pods ? [...pods.values()] : [];
  }

  nominatedNode(pod: Pod): string | undefined {
    return this.nodeOf.get(pod.metadata?.uid ?? '');
  }
}
