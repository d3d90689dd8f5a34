// The garbage collector's dependency graph (garbagecollector/graph.go): one node per object uid,
// with the owner references the object carries and the dependents that point at it. A node made
// for an owner that no informer has shown yet is "virtual": it stands in until the object is
// observed, or until a live GET proves it absent.

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** Who an object is: enough to GET it (apiVersion + kind → resource). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  /** "" for cluster-scoped objects (and for virtual owners whose scope is not known yet: the dependent's namespace). */
  namespace: string;
  name: string;
  uid: string;
}

export class GraphNode {
  /** Objects whose ownerReferences name this node. */
  readonly dependents = new Set<GraphNode>();
  /** The object's ownerReferences as last observed. */
  owners: OwnerReference[] = [];
  /** Seen through an informer (false: a virtual owner). */
  observed: boolean;
  /** The object has a deletionTimestamp. */
  beingDeleted = false;
  /** The object has a deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    observed: boolean,
  ) {
    this.observed = observed;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion (they hold a foreground deletion). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((r) => r.uid === this.identity.uid && r.blockOwnerDeletion === true));
  }

  toString(): string {
    const { apiVersion, kind, namespace, name, uid } = this.identity;
    return `[${apiVersion}/${kind}, namespace: ${namespace}, name: ${name}, uid: ${uid}]`;
  }
}

/** uid → node. */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  add(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  remove(node: GraphNode): void {
    if (this.nodes.get(node.identity.uid) === node) this.nodes.delete(node.identity.uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }
}
