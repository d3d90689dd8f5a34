// One scheduling cycle's view of the cluster (internal/cache.Snapshot): NodeInfos by name and in
// a stable order. The cycle mutates nothing here except through assume (which goes to the cache).

import type { NodeInfo } from '../framework/node-info.js';

export class Snapshot {
  private readonly byName = new Map<string, NodeInfo>();

  constructor(private readonly nodes: NodeInfo[]) {
    for (const n of nodes) this.byName.set(n.name, n);
  }

  list(): NodeInfo[] {
    return this.nodes;
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.nodes.length;
  }
}
