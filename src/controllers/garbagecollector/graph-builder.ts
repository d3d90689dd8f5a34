// The graph builder (garbagecollector/graph_builder.go): turns informer events of every monitored
// resource into changes of the dependency graph, and decides which nodes the collector must look
// at — attemptToDelete (a dependent whose owner may be gone or waits for it, an owner waiting for
// its dependents, a virtual owner to verify) and attemptToOrphan (an owner deleted with the
// orphan finalizer). Synchronous and in memory: informer handlers call it directly.

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, GraphNode, type ObjectIdentity } from './graph.js';

export interface GraphQueues {
  attemptToDelete(node: GraphNode): void;
  attemptToOrphan(node: GraphNode): void;
}

export class GraphBuilder {
  readonly graph = new DependencyGraph();

  constructor(private readonly queues: GraphQueues) {}

  /** An object was added or changed; `identity` gives its apiVersion and kind as its resource is served. */
  upsert(obj: KubeObject, type: { apiVersion: string; kind: string }): void {
    const meta = obj.metadata ?? {};
    const uid = meta.uid;
    if (!uid) return;
    const identity: ObjectIdentity = { ...type, namespace: meta.namespace ?? '', name: meta.name ?? '', uid };
    const refs = meta.ownerReferences ?? [];
    let node = this.graph.get(uid);
    if (!node) {
      node = new GraphNode(identity, true);
      node.owners = refs;
      this.graph.add(node);
      this.addToOwners(node, refs);
    } else {
      if (!node.observed || !sameIdentity(node.identity, identity)) {
        const changed = !sameIdentity(node.identity, identity);
        node.identity = identity;
        node.observed = true;
        // Dependents named this object with another identity: have them checked again.
        if (changed) for (const dep of node.dependents) this.queues.attemptToDelete(dep);
      }
      const { added, removed, changed } = referenceDiffs(node.owners, refs);
      if (added.length + removed.length + changed.length > 0) {
        // An owner waiting for its dependents may be unblocked by a reference removed or no longer blocking.
        for (const ref of [...removed, ...changed.filter((c) => c.blockOwnerDeletion !== true)]) {
          const owner = this.graph.get(ref.uid);
          if (owner?.deletingDependents) this.queues.attemptToDelete(owner);
        }
        node.owners = refs;
        this.addToOwners(node, added);
        for (const ref of removed) this.graph.get(ref.uid)?.dependents.delete(node);
      }
    }
    this.transitions(node, obj);
  }

  /** An object was deleted (or a virtual node was proven absent). */
  remove(uid: string): void {
    const node = this.graph.get(uid);
    if (!node) return;
    this.graph.remove(node);
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      owner?.dependents.delete(node);
      if (owner?.deletingDependents) this.queues.attemptToDelete(owner);
    }
    // Its dependents have lost an owner: check whether they must go too.
    for (const dep of node.dependents) this.queues.attemptToDelete(dep);
  }

  private addToOwners(node: GraphNode, refs: readonly OwnerReference[]): void {
    for (const ref of refs) {
      let owner = this.graph.get(ref.uid);
      if (!owner) {
        // Not seen (yet): a virtual node, verified by the collector with a live GET.
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: node.identity.namespace, name: ref.name, uid: ref.uid }, false);
        this.graph.add(owner);
        this.queues.attemptToDelete(owner);
      }
      owner.dependents.add(node);
      // A new dependent of an owner deleting its dependents goes too.
      if (owner.deletingDependents) this.queues.attemptToDelete(node);
    }
  }

  private transitions(node: GraphNode, obj: KubeObject): void {
    const meta = obj.metadata ?? {};
    const finalizers = meta.finalizers ?? [];
    node.beingDeleted = Boolean(meta.deletionTimestamp);
    if (node.beingDeleted && finalizers.includes(FINALIZER_ORPHAN)) this.queues.attemptToOrphan(node);
    const foreground = node.beingDeleted && finalizers.includes(FINALIZER_FOREGROUND);
    if (foreground && !node.deletingDependents) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.queues.attemptToDelete(dep);
    }
    if (!foreground) node.deletingDependents = false;
    if (foreground) this.queues.attemptToDelete(node);
  }
}

function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.uid === b.uid;
}

/** Owner references added, removed, and changed (same uid, other blockOwnerDeletion or identity). */
export function referenceDiffs(
  old: readonly OwnerReference[],
  next: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: OwnerReference[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const nextByUid = new Map(next.map((r) => [r.uid, r]));
  const added = next.filter((r) => !oldByUid.has(r.uid));
  const removed = old.filter((r) => !nextByUid.has(r.uid));
  const changed = next.filter((r) => {
    const o = oldByUid.get(r.uid);
    return o !== undefined && (Boolean(o.blockOwnerDeletion) !== Boolean(r.blockOwnerDeletion) || o.name !== r.name || o.kind !== r.kind || o.apiVersion !== r.apiVersion);
  });
  return { added, removed, changed };
}
