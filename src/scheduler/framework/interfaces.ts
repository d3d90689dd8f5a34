// The extension points (framework.Plugin and its sub-interfaces). A plugin implements any subset;
// the framework finds them by the method they define. Statuses follow framework.Status: undefined
// is success.

import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { EventRecorder } from '../../client/events/index.js';
import type { RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Status } from './status.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface Plugin {
  readonly name: string;
}

/** What a queueing hint says about a parked pod after an event (framework.QueueingHint). */
export type QueueingHint = 'Queue' | 'QueueSkip';

/** A cluster event (queue/scheduling-queue.ts ClusterEvent) and, optionally, a hint deciding per pod. */
export interface ClusterEventWithHint {
  event: string;
  hint?(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint;
}

/**
 * EnqueueExtensions: the events that may make a pod this plugin rejected schedulable. A plugin
 * without it counts as registered for every event, as in kube-scheduler.
 */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

/** PreFilter may narrow the nodes to consider (undefined: all nodes). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): { result?: PreFilterResult; status?: Status } | Status | undefined;
  /**
   * PreFilterExtensions: update the PreFilter state for `podToAdd` joining (or leaving) `nodeInfo`
   * (which already includes, or no longer includes, it) — used for nominated pods and preemption's
   * what-if evaluation. Plugins whose PreFilter state does not depend on other pods omit them.
   */
  addPod?(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status | undefined;
  removePod?(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, filteredNodeStatus: Map<string, Status>): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status | undefined;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | { score: number; status: Status };
  /** Rescales the plugin's scores in place to [0, 100]. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status | undefined;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status | undefined;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, a rejection, or Wait with a timeout (then allow/reject through the WaitingPod). */
  permit(state: CycleState, pod: Pod, nodeName: string): { status?: Status; timeoutMs?: number } | undefined;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | undefined>;
}

export interface BindPlugin extends Plugin {
  /** Skip passes the pod on to the next Bind plugin. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | undefined>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** The framework's run functions a plugin may call (preemption evaluates nodes with them). */
export interface FrameworkRunner {
  readonly schedulerName: string;
  /** Filter with the nominated pods of equal or higher priority counted, as scheduling does. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status;
}

/** The storage objects of the cluster, from the scheduler's informers (VolumeBinding reads them). */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volumes(): PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** A cycle's snapshot as plugins see it (framework.NodeInfoLister). */
export interface SnapshotView {
  list(): NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** The nodes holding pods with pod (anti-)affinity (all nodes when absent). */
  havePodsWithAffinityList?(): NodeInfo[];
  /** The nodes holding pods with required pod anti-affinity (all nodes when absent). */
  havePodsWithRequiredAntiAffinityList?(): NodeInfo[];
  /** Per normalized image name, how many nodes have it (ImageStateSummary.NumNodes). */
  imageNodeCounts?(): ReadonlyMap<string, number>;
}

/** What plugins get from the framework (framework.Handle). */
export interface Handle {
  client?: RestClient;
  clock: Clock;
  logger: Logger;
  /** The snapshot of the current cycle. */
  snapshot(): SnapshotView;
  /** Pods nominated to run on the node (status.nominatedNodeName, or a preemption of this scheduler). */
  nominatedPodsForNode?(nodeName: string): Pod[];
  /** Whether any pod is nominated at all (false lets Filter skip the per-node lookup). */
  hasNominatedPods?(): boolean;
  /** The PodDisruptionBudgets of the cluster (from an informer). */
  podDisruptionBudgets?(): PodDisruptionBudget[];
  /** PersistentVolumeClaims, PersistentVolumes and StorageClasses (from informers). */
  volumeListers?: VolumeListers;
  /** Records events (e.g. Preempted on a victim). */
  recorder?: EventRecorder;
  /** The framework of the plugin's profile (set by the framework for each plugin it builds). */
  framework?: FrameworkRunner;
  /** Aborts when the scheduler stops: a plugin's long wait (a PreBind polling for volumes) ends then. */
  stopping?: AbortSignal;
}

export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => Plugin;

export type Registry = Map<string, PluginFactory>;

export function implementsMethod<T extends Plugin>(p: Plugin, method: keyof T): p is T {
  return typeof (p as unknown as Record<string, unknown>)[method as string] === 'function';
}
