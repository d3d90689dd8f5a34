// resourceAllocationScorer: the weighted average, over the configured resources, of a per-resource
// score of (node's requested + pod's request) against the node's allocatable.

import type { NodeInfo } from '../../framework/node-info.js';
import type { Resource } from '../../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export function resourceScore(
  resources: ResourceSpec[],
  podRequest: Resource,
  nodeInfo: NodeInfo,
  nodeRequested: Resource,
  scorer: (requested: number, allocatable: number) => number,
): number {
  let total = 0;
  let weights = 0;
  for (const r of resources) {
    const allocatable = nodeInfo.allocatable.get(r.name);
    if (allocatable === 0 && r.name !== 'cpu' && r.name !== 'memory') continue; // extended resource the node lacks
    const requested = nodeRequested.get(r.name) + podRequest.get(r.name);
    total += scorer(requested, allocatable) * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(total / weights);
}
