// One scheduling cycle's view of the cluster (internal/cache.Snapshot): NodeInfos by name and in
// a stable order, plus the nodes that hold pods with (anti-)affinity and with required
// anti-affinity, so InterPodAffinity walks only those. The cycle mutates nothing here except
// through assume (which goes to the cache). A Snapshot never changes once built: the cache builds
// the next one from it, copying only the NodeInfos changed since (see cache.ts).

import { imageNodeCounts } from '../framework/images.js';
import type { NodeInfo } from '../framework/node-info.js';

/** Image counts computed on first use, shared by the snapshots that have the same Node objects. */
export interface ImageCounts {
  value?: Map<string, number>;
}

export class Snapshot {
  /**
   * @param nodes the NodeInfos in the cache's node order
   * @param index name → position in `nodes` (shared between snapshots while the node set is unchanged)
   * @param withAffinity positions of the nodes with pods that have pod (anti-)affinity
   * @param withRequiredAntiAffinity positions of the nodes with pods that have required anti-affinity
   * @param generation the cache generation this snapshot reflects
   * @param images image counts, shared with the previous snapshot when no Node object changed
   */
  constructor(
    private readonly nodes: NodeInfo[],
    private readonly index: ReadonlyMap<string, number> = indexOf(nodes),
    private readonly withAffinity: readonly number[] = positions(nodes, (n) => n.podsWithAffinity.length > 0),
    private readonly withRequiredAntiAffinity: readonly number[] = positions(nodes, (n) => n.podsWithRequiredAntiAffinity.length > 0),
    readonly generation = 0,
    private readonly images: ImageCounts = {},
  ) {}

  /** Per normalized image name, how many nodes of this snapshot have it. */
  imageNodeCounts(): ReadonlyMap<string, number> {
    return (this.images.value ??= imageNodeCounts(this.nodes));
  }

  list(): NodeInfo[] {
    return this.nodes;
  }

  get(name: string): NodeInfo | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.nodes[i];
  }

  /** HavePodsWithAffinityList: the nodes with at least one pod that has pod (anti-)affinity. */
  havePodsWithAffinityList(): NodeInfo[] {
    return this.withAffinity.map((i) => this.nodes[i]!);
  }

  /** HavePodsWithRequiredAntiAffinityList: the nodes with at least one pod with required anti-affinity. */
  havePodsWithRequiredAntiAffinityList(): NodeInfo[] {
    return this.withRequiredAntiAffinity.map((i) => this.nodes[i]!);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Internals for the cache building the next snapshot. */
  parts(): { nodes: NodeInfo[]; index: ReadonlyMap<string, number>; withAffinity: readonly number[]; withRequiredAntiAffinity: readonly number[]; images: ImageCounts } {
    return { nodes: this.nodes, index: this.index, withAffinity: this.withAffinity, withRequiredAntiAffinity: this.withRequiredAntiAffinity, images: this.images };
  }
}

export function indexOf(nodes: NodeInfo[]): Map<string, number> {
  const m = new Map<string, number>();
  nodes.forEach((n, i) => m.set(n.name, i));
  return m;
}

export function positions(nodes: NodeInfo[], pred: (n: NodeInfo) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (pred(nodes[i]!)) out.push(i);
  return out;
}
