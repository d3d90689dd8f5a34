// NodeResourcesBalancedAllocation: favours nodes whose resource fractions (requested/allocatable,
// including the pod) are close to each other: score = (1 − std) × 100, where for two resources
// std = |f1 − f2| / 2. Requests are the actual ones (no non-zero defaults); a pod that requests
// none of the resources is skipped.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Resource, podRequests } from '../../framework/resource.js';
import { Status } from '../../framework/status.js';
import { DEFAULT_RESOURCES, cpuMemoryWeights } from './fit.js';
import type { ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesBalancedAllocation';
const STATE_KEY = 'PreScore' + NAME;

export function balancedScore(fractions: number[]): number {
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const variance = fractions.reduce((a, f) => a + (f - mean) * (f - mean), 0);
    std = Math.sqrt(variance / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  private readonly resources: ResourceSpec[];
  /** The scored resources are exactly cpu and memory (the default): read NodeInfo's flat fields. */
  private readonly cpuMemory: boolean;

  constructor(args?: { resources?: ResourceSpec[] }) {
    this.resources = args?.resources?.length ? args.resources : DEFAULT_RESOURCES;
    this.cpuMemory = cpuMemoryWeights(this.resources) !== undefined;
  }

  preScore(state: CycleState, pod: Pod): Status | undefined {
    const req = podRequests(pod);
    if (this.resources.every((r) => req.get(r.name) === 0)) return Status.skip();
    state.write(STATE_KEY, req);
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const req = state.read<Resource>(STATE_KEY) ?? podRequests(pod);
    if (this.cpuMemory && nodeInfo.allocMilliCPU !== 0 && nodeInfo.allocMemory !== 0) {
      // Two fractions: std = |f1 − f2| / 2 (balancedScore), without the array.
      const cpu = Math.min(1, (nodeInfo.reqMilliCPU + req.milliCPU) / nodeInfo.allocMilliCPU);
      const memory = Math.min(1, (nodeInfo.reqMemory + req.memory) / nodeInfo.allocMemory);
      return Math.trunc((1 - Math.abs((cpu - memory) / 2)) * MAX_NODE_SCORE);
    }
    const fractions: number[] = [];
    for (const r of this.resources) {
      const allocatable = nodeInfo.allocatable.get(r.name);
      if (allocatable === 0) continue;
      const requested = nodeInfo.requested.get(r.name) + req.get(r.name);
      fractions.push(Math.min(1, requested / allocatable));
    }
    return balancedScore(fractions);
  }
}

export const newNodeResourcesBalancedAllocation = (args?: Record<string, unknown>) => new NodeResourcesBalancedAllocation(args as { resources?: ResourceSpec[] } | undefined);
