// NodeResourcesFit: Filter checks the pod's requests (containers, the largest init container,
// overhead) and the pod count against what is left of the node's allocatable; Score rates nodes
// by a scoring strategy over weighted resources: LeastAllocated (default), MostAllocated or
// RequestedToCapacityRatio (a piecewise-linear shape over utilization).

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, Resource, podRequests } from '../../framework/resource.js';
import { Status } from '../../framework/status.js';
import { resourceScore, type ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesFit';
const PRE_FILTER_KEY = 'PreFilter' + NAME;
const PRE_SCORE_KEY = 'PreScore' + NAME;

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface FitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: { utilization: number; score: number }[] };
  };
}

export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

/** fitsRequest: the reasons the pod does not fit the node (empty: it fits). */
export function insufficientResources(req: Resource, nodeInfo: NodeInfo, ignored: Set<string> = new Set(), ignoredGroups: Set<string> = new Set()): InsufficientResource[] {
  if (fitsQuickly(req, nodeInfo)) return NONE;
  const out: InsufficientResource[] = [];
  const allowedPods = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPods) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowedPods });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && [...req.scalar.values()].every((v) => v === 0)) return out;
  const check = (name: string) => {
    const want = req.get(name);
    if (want <= 0) return;
    const free = nodeInfo.allocatable.get(name) - nodeInfo.requested.get(name);
    if (want > free) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: want, used: nodeInfo.requested.get(name), capacity: nodeInfo.allocatable.get(name) });
  };
  check(CPU);
  check(MEMORY);
  check(EPHEMERAL_STORAGE);
  for (const name of req.scalar.keys()) {
    if (ignored.has(name)) continue;
    const slash = name.indexOf('/');
    if (slash > 0 && ignoredGroups.has(name.slice(0, slash))) continue;
    check(name);
  }
  return out;
}

const NONE: InsufficientResource[] = [];

/** [cpu weight, memory weight] when `resources` are cpu and memory, once each; else undefined. */
export function cpuMemoryWeights(resources: ResourceSpec[]): [number, number] | undefined {
  if (resources.length !== 2) return undefined;
  const cpu = resources.find((r) => r.name === CPU);
  const memory = resources.find((r) => r.name === MEMORY);
  return cpu && memory ? [cpu.weight, memory.weight] : undefined;
}

/** The common case without allocating: room for one more pod, and cpu/memory/storage only, all fitting. */
function fitsQuickly(req: Resource, nodeInfo: NodeInfo): boolean {
  if (req.scalar.size > 0) return false;
  // NodeInfo's flat copies: no other object is read per node.
  return (
    nodeInfo.podCount + 1 <= nodeInfo.allocPods &&
    (req.milliCPU <= 0 || req.milliCPU <= nodeInfo.allocMilliCPU - nodeInfo.reqMilliCPU) &&
    (req.memory <= 0 || req.memory <= nodeInfo.allocMemory - nodeInfo.reqMemory) &&
    (req.ephemeralStorage <= 0 || req.ephemeralStorage <= nodeInfo.allocEphemeralStorage - nodeInfo.reqEphemeralStorage)
  );
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  /** Freed room (an assigned pod deleted), a new node, or a node whose allocatable may have grown. */
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: 'AssignedPodDelete' }, { event: 'NodeAdd' }, { event: 'NodeUpdate' }];
  }
  private readonly ignored: Set<string>;
  private readonly ignoredGroups: Set<string>;
  private readonly strategy: ScoringStrategyType;
  private readonly resources: ResourceSpec[];
  private readonly shape: { utilization: number; score: number }[];
  /** [cpu weight, memory weight] when the scored resources are exactly cpu and memory (the default). */
  private readonly cpuMemoryWeights: [number, number] | undefined;

  constructor(args: FitArgs = {}) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
    this.strategy = args.scoringStrategy?.type ?? 'LeastAllocated';
    this.resources = args.scoringStrategy?.resources?.length ? args.scoringStrategy.resources : DEFAULT_RESOURCES;
    this.shape = args.scoringStrategy?.requestedToCapacityRatio?.shape ?? [
      { utilization: 0, score: 10 },
      { utilization: 100, score: 0 },
    ];
    this.cpuMemoryWeights = cpuMemoryWeights(this.resources);
    if (!['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'].includes(this.strategy)) throw new Error(`NodeResourcesFit: unknown scoring strategy ${this.strategy}`);
  }

  preFilter(state: CycleState, pod: Pod): Status | undefined {
    state.write(PRE_FILTER_KEY, podRequests(pod));
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const req = state.read<Resource>(PRE_FILTER_KEY) ?? podRequests(pod);
    const insufficient = insufficientResources(req, nodeInfo, this.ignored, this.ignoredGroups);
    if (insufficient.length === 0) return undefined;
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pod: Pod): Status | undefined {
    state.write(PRE_SCORE_KEY, podRequests(pod, true));
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const req = state.read<Resource>(PRE_SCORE_KEY) ?? podRequests(pod, true);
    if (this.cpuMemoryWeights) {
      // resourceScore over cpu and memory, from NodeInfo's flat fields.
      const [cpuWeight, memoryWeight] = this.cpuMemoryWeights;
      const total = this.scorer(nodeInfo.nonZeroMilliCPU + req.milliCPU, nodeInfo.allocMilliCPU) * cpuWeight + this.scorer(nodeInfo.nonZeroMemory + req.memory, nodeInfo.allocMemory) * memoryWeight;
      const weights = cpuWeight + memoryWeight;
      return weights === 0 ? 0 : Math.trunc(total / weights);
    }
    return resourceScore(this.resources, req, nodeInfo, nodeInfo.nonZeroRequested, this.scorer);
  }

  private readonly scorer = (requested: number, allocatable: number): number => {
    if (allocatable === 0 || requested > allocatable) return this.strategy === 'RequestedToCapacityRatio' ? this.brokenLinear(100) : 0;
    if (this.strategy === 'LeastAllocated') return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
    if (this.strategy === 'MostAllocated') return Math.trunc((requested * MAX_NODE_SCORE) / allocatable);
    return this.brokenLinear(Math.trunc((requested * 100) / allocatable));
  };

  /** RequestedToCapacityRatio's shape (scores 0–10 scaled to 0–100), linear between points. */
  private brokenLinear(utilization: number): number {
    const pts = this.shape.map((p) => ({ x: p.utilization, y: (p.score * MAX_NODE_SCORE) / 10 }));
    for (let i = 0; i < pts.length; i++) {
      if (utilization <= pts[i]!.x) {
        if (i === 0) return Math.trunc(pts[0]!.y);
        const a = pts[i - 1]!;
        const b = pts[i]!;
        return Math.trunc(a.y + ((b.y - a.y) * (utilization - a.x)) / (b.x - a.x));
      }
    }
    return Math.trunc(pts[pts.length - 1]!.y);
  }
}

export const newNodeResourcesFit = (args?: Record<string, unknown>) => new NodeResourcesFit(args as FitArgs | undefined);
