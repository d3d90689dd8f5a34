// The scheduler (pkg/scheduler): event handlers feed the cache and the queue; scheduleOne pops a
// pod, snapshots the cache, runs PreFilter and Filter over the nodes (stopping after
// percentageOfNodesToScore feasible ones, starting where the last cycle stopped), scores and picks
// the best (ties broken at random), assumes the pod in the cache, runs Reserve and Permit, and
// binds asynchronously (PreBind, Bind, PostBind) while the next cycle starts. A pod that fits
// nowhere gets PodScheduled=False (Unschedulable) with a FailedScheduling event and goes back to
// the queue.

import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { formatTime } from '../api/meta.js';
import type { EventRecorder } from '../client/events/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { SchedulerCache } from './cache/cache.js';
import type { Snapshot } from './cache/snapshot.js';
import { DEFAULT_SCHEDULER_NAME, type Profile } from './framework/config.js';
import { CycleState } from './framework/cycle-state.js';
import { Framework } from './framework/framework.js';
import type { Handle, NodeScore, Registry, VolumeListers } from './framework/interfaces.js';
import { podKey, podName, type NodeInfo } from './framework/node-info.js';
import { Code, Status } from './framework/status.js';
import { FitError, type Diagnosis } from './fit-error.js';
import { ClusterEvent, SchedulingQueue, type ClusterEventName, type QueuedPodInfo } from './queue/scheduling-queue.js';
import { worthRequeuing } from './queueing-hints.js';
import { Nominator } from './queue/nominator.js';
import type { RestClient } from '../client/rest/index.js';
import type { SchedulerMetricsSink } from './metrics.js';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind: all nodes below 100; else the (adaptive) percentage, at least 100. */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct === 0) {
    pct = Math.trunc(50 - numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** selectHost: the highest total; ties broken uniformly at random (reservoir sampling). */
export function selectHost(scores: NodeScore[], random: () => number): string {
  if (scores.length === 0) throw new Error('empty priorityList');
  return scores[selectIndex(scores.length, (i) => scores[i]!.score, random)]!.name;
}

/** selectHost over totals held in an array: the index of the node picked. */
function selectIndex(n: number, score: (i: number) => number, random: () => number): number {
  let selected = 0;
  let max = score(0);
  let count = 1;
  for (let i = 1; i < n; i++) {
    const s = score(i);
    if (s > max) {
      max = s;
      selected = i;
      count = 1;
    } else if (s === max) {
      count++;
      if (Math.floor(random() * count) === 0) selected = i;
    }
  }
  return selected;
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** How the scheduler writes to the cluster; the REST implementation is in start.ts. */
export interface SchedulerApi {
  /** Sets the PodScheduled condition (and nominatedNodeName) on the pod's status. */
  updatePodCondition(pod: Pod, condition: PodCondition, nominatedNodeName?: string): Promise<void>;
  /** Whether the pod still exists and is still unbound (per the informer cache). */
  getPod?(pod: Pod): Pod | undefined;
}

export interface SchedulerOptions {
  profiles: Profile[];
  registry: Registry;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  client?: RestClient;
  api: SchedulerApi;
  recorder?: EventRecorder;
  /** Queue backoff (1 s doubling to 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  assumedPodTtlMs?: number;
  /** Attempt counts and latencies (metrics.ts); nothing is recorded when absent. */
  metrics?: SchedulerMetricsSink;
  /** The cluster's PodDisruptionBudgets (preemption prefers victims they do not protect). */
  podDisruptionBudgets?: () => PodDisruptionBudget[];
  /** Claims, volumes and classes (VolumeBinding). */
  volumeListers?: VolumeListers;
}

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly frameworks = new Map<string, Framework>();
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly api: SchedulerApi;
  private readonly recorder: EventRecorder | undefined;
  private readonly metrics: SchedulerMetricsSink | undefined;
  private nextStartNodeIndex = 0;
  private currentSnapshot: Snapshot | undefined;
  private readonly bindings = new Set<Promise<void>>();
  private stopped = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
    this.api = options.api;
    this.recorder = options.recorder;
    this.metrics = options.metrics;
    this.cache = new SchedulerCache({ clock: this.clock, logger: this.logger, ...(options.assumedPodTtlMs !== undefined ? { assumedPodTtlMs: options.assumedPodTtlMs } : {}) });
    this.queue = new SchedulingQueue({
      clock: this.clock,
      ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
    });
    const handle: Handle = {
      stopping: this.stopping.signal,
      ...(options.client ? { client: options.client } : {}),
      clock: this.clock,
      logger: this.logger,
      snapshot: () => this.currentSnapshot ?? this.cache.snapshot(),
      nominatedPodsForNode: (node) => this.nominator.podsForNode(node),
      hasNominatedPods: () => this.nominator.size > 0,
      ...(options.podDisruptionBudgets ? { podDisruptionBudgets: options.podDisruptionBudgets } : {}),
      ...(options.volumeListers ? { volumeListers: options.volumeListers } : {}),
      ...(options.recorder ? { recorder: options.recorder } : {}),
    };
    for (const p of options.profiles) this.frameworks.set(p.schedulerName, new Framework(p, options.registry, handle));
  }

  // ---- event handlers (eventhandlers.go) ----

  responsibleFor(pod: Pod): boolean {
    return this.frameworks.has(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  onPodAdd(pod: Pod): void {
    if (assigned(pod)) {
      this.nominator.delete(pod);
      if (!terminal(pod)) this.cache.addPod(pod);
      this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodAdd, () => false);
      return;
    }
    if (this.responsibleFor(pod) && !pod.metadata?.deletionTimestamp && !terminal(pod)) {
      this.nominator.add(pod);
      this.queue.add(pod);
    }
  }

  onPodUpdate(oldPod: Pod, newPod: Pod): void {
    if (assigned(newPod)) {
      this.nominator.delete(newPod);
      if (!assigned(oldPod)) this.queue.delete(newPod);
      if (terminal(newPod)) {
        this.cache.removePod(newPod);
        this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete, this.hinted(ClusterEvent.AssignedPodDelete, newPod, undefined));
      } else this.cache.updatePod(oldPod, newPod);
      return;
    }
    if (!this.responsibleFor(newPod)) return;
    if (terminal(newPod)) {
      this.nominator.delete(newPod);
      return this.queue.delete(newPod);
    }
    this.nominator.update(oldPod, newPod);
    this.queue.update(oldPod, newPod);
  }

  onPodDelete(pod: Pod): void {
    if (assigned(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete, this.hinted(ClusterEvent.AssignedPodDelete, pod, undefined));
      return;
    }
    this.nominator.delete(pod);
    this.queue.delete(pod);
    for (const f of this.frameworks.values()) f.waitingPods.get(podKey(pod))?.reject('', 'pod deleted');
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd, this.hinted(ClusterEvent.NodeAdd, undefined, node));
  }

  onNodeUpdate(oldNode: Node, newNode: Node): void {
    this.cache.updateNode(oldNode, newNode);
    if (nodeSchedulingPropertiesChanged(oldNode, newNode)) this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NodeUpdate, this.hinted(ClusterEvent.NodeUpdate, oldNode, newNode));
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
  }

  /** The queueing-hint filter for an event (queueing-hints.ts). */
  private hinted(event: ClusterEventName, oldObj: unknown, newObj: unknown): (info: QueuedPodInfo) => boolean {
    return worthRequeuing((info) => this.frameworks.get(info.pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME), event, oldObj, newObj);
  }

  // ---- running ----

  /** Starts the queue's flush timers and the scheduling loop. */
  start(): void {
    if (this.loop) return;
    this.queue.run();
    const cleanup = this.clock.setInterval(() => this.cache.cleanupExpiredAssumedPods(), 1000);
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          if (!(await this.scheduleOne())) break;
        } catch (err) {
          this.logger.error('scheduling cycle failed', { err: String(err) });
        }
        // Yield to the event loop between cycles: bindings, watch events, lease renewals and the
        // queue's timers must not wait until the queue is empty.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      cleanup.cancel();
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.queue.close();
    await this.loop;
    await Promise.allSettled([...this.bindings]);
  }

  /** Resolves when the bindings in flight have finished (for tests). */
  async idle(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** One scheduling cycle; false once the queue is closed. */
  async scheduleOne(): Promise<boolean> {
    const info = await this.queue.pop();
    if (!info) return false;
    const pod = info.pod;
    const fwk = this.frameworks.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.isAssumed(pod)) {
      this.queue.done(info.key);
      return true;
    }
    const cycle = this.queue.schedulingCycle;
    const state = new CycleState();
    const start = this.clock.now();
    let result: ScheduleResult;
    try {
      result = this.schedulePod(fwk, state, pod);
      this.metrics?.observeAlgorithm((this.clock.now() - start) / 1000);
    } catch (err) {
      let status: Status;
      let nominated = '';
      // The plugins that rejected it decide which events bring it back (queueing hints).
      info.unschedulablePlugins = err instanceof FitError ? new Set(err.diagnosis.unschedulablePlugins) : new Set();
      if (err instanceof FitError) {
        if (fwk.hasPostFilterPlugins()) {
          const pf = fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus);
          if (pf.status.isSuccess()) nominated = pf.result?.nominatedNodeName ?? '';
          else if (pf.status.reasons.length > 0) err.diagnosis.postFilterMsg = pf.status.message();
        }
        status = new Status(Code.Unschedulable, [new FitError(err.numAllNodes, err.diagnosis).message]);
      } else status = Status.error(err);
      this.handleSchedulingFailure(fwk, info, status, cycle, nominated, start);
      return true;
    }
    this.logger.debug('scheduling cycle done', { pod: podName(pod), node: result.suggestedHost, evaluated: result.evaluatedNodes, feasible: result.feasibleNodes, ms: this.clock.now() - start });

    // Assume: the pod counts against the node before the binding is written.
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: result.suggestedHost } };
    try {
      this.cache.assumePod(assumed);
      this.nominator.delete(pod);
    } catch (err) {
      this.handleSchedulingFailure(fwk, info, Status.error(err), cycle, '', start);
      return true;
    }
    const reserve = fwk.runReservePluginsReserve(state, assumed, result.suggestedHost);
    if (!reserve.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumed, result.suggestedHost);
      this.cache.forgetPod(assumed);
      this.handleSchedulingFailure(fwk, info, reserve, cycle, '', start);
      return true;
    }
    const permit = fwk.runPermitPlugins(state, assumed, result.suggestedHost);
    if (!permit.isSuccess() && !permit.isWait()) {
      fwk.runReservePluginsUnreserve(state, assumed, result.suggestedHost);
      this.cache.forgetPod(assumed);
      this.handleSchedulingFailure(fwk, info, permit, cycle, '', start);
      return true;
    }
    const binding = this.bindingCycle(fwk, state, info, assumed, result.suggestedHost, cycle, start).finally(() => this.bindings.delete(binding));
    this.bindings.add(binding);
    return true;
  }

  private async bindingCycle(fwk: Framework, state: CycleState, info: QueuedPodInfo, assumed: Pod, node: string, cycle: number, start: number): Promise<void> {
    const fail = (status: Status) => {
      fwk.runReservePluginsUnreserve(state, assumed, node);
      this.cache.forgetPod(assumed);
      // The freed space may let other pods fit (kube-scheduler's MoveAllToActiveOrBackoffQueue here).
      this.queue.moveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete, this.hinted(ClusterEvent.AssignedPodDelete, assumed, undefined));
      this.handleSchedulingFailure(fwk, info, status, cycle, '', start);
    };
    const permit = await fwk.waitOnPermit(assumed);
    if (!permit.isSuccess()) return fail(permit);
    const preBind = await fwk.runPreBindPlugins(state, assumed, node);
    if (!preBind.isSuccess()) return fail(preBind);
    const bind = await fwk.runBindPlugins(state, assumed, node);
    if (!bind.isSuccess()) return fail(bind.isSkip() ? Status.error(`no bind plugin bound the pod`) : bind);
    this.cache.finishBinding(assumed);
    this.queue.done(info.key);
    this.metrics?.observeAttempt('scheduled', fwk.profile.schedulerName, (this.clock.now() - start) / 1000);
    this.recorder?.event(podRef(assumed), 'Normal', 'Scheduled', `Successfully assigned ${podName(assumed)} to ${node}`);
    fwk.runPostBindPlugins(state, assumed, node);
  }

  /** Filter and Score (schedulePod); throws FitError when no node fits. */
  schedulePod(fwk: Framework, state: CycleState, pod: Pod): ScheduleResult {
    const snapshot = this.cache.snapshot();
    this.currentSnapshot = snapshot;
    if (snapshot.size === 0) throw new Error('no nodes available to schedule pods');
    const { feasible, diagnosis, evaluated } = this.findNodesThatFitPod(fwk, state, pod, snapshot);
    if (feasible.length === 0) throw new FitError(snapshot.size, diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    const totals = this.prioritizeNodes(fwk, state, pod, feasible);
    const best = selectIndex(feasible.length, (i) => totals[i]!, this.random);
    return { suggestedHost: feasible[best]!.name, evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  private findNodesThatFitPod(fwk: Framework, state: CycleState, pod: Pod, snapshot: Snapshot): { feasible: NodeInfo[]; diagnosis: Diagnosis; evaluated: number } {
    const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
    const all = snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod, all);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw pre.status.error ?? new Error(pre.status.message());
      for (const n of all) diagnosis.nodeToStatus.set(n.name, pre.status);
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis, evaluated: 0 };
    }
    let nodes = all;
    if (pre.result?.nodeNames) {
      nodes = [...pre.result.nodeNames].map((n) => snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined);
    }
    const want = numFeasibleNodesToFind(fwk.profile.percentageOfNodesToScore, nodes.length);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    const n = nodes.length;
    const start = n > 0 ? this.nextStartNodeIndex % n : 0;
    const filters = fwk.activeFilterPlugins(state);
    for (let i = 0; i < n && feasible.length < want; i++) {
      const at = start + i;
      const nodeInfo = nodes[at < n ? at : at - n]!;
      processed++;
      const s = fwk.hasFilterPlugins() ? fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo, filters) : Status.success();
      if (s.isSuccess()) feasible.push(nodeInfo);
      else if (s.isRejected()) {
        diagnosis.nodeToStatus.set(nodeInfo.name, s);
        if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
      } else throw s.error ?? new Error(s.message());
    }
    this.nextStartNodeIndex = n > 0 ? (start + processed) % n : 0;
    // Nodes PreFilter ruled out count as unresolvable for the message.
    if (pre.result?.nodeNames) {
      for (const node of all) if (!pre.result.nodeNames.has(node.name)) diagnosis.nodeToStatus.set(node.name, Status.unresolvable('node(s) didn\'t satisfy plugin(s) [PreFilterResult]'));
    }
    return { feasible, diagnosis, evaluated: processed };
  }

  /** The weighted total score of each node, in the order of `nodes`. */
  private prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: NodeInfo[]): ArrayLike<number> {
    if (!fwk.hasScorePlugins()) return new Float64Array(nodes.length).fill(1);
    const pre = fwk.runPreScorePlugins(state, pod, nodes);
    if (!pre.isSuccess()) throw pre.error ?? new Error(pre.message());
    const { sums, status } = fwk.runScorePluginsSums(state, pod, nodes);
    if (!status.isSuccess()) throw status.error ?? new Error(status.message());
    return sums;
  }

  /** handleSchedulingFailure: requeue, a FailedScheduling event, and the PodScheduled=False condition. */
  private handleSchedulingFailure(fwk: Framework, info: QueuedPodInfo, status: Status, cycle: number, nominatedNodeName: string, start?: number): void {
    const pod = info.pod;
    const rejected = status.isRejected();
    if (start !== undefined) this.metrics?.observeAttempt(rejected ? 'unschedulable' : 'error', fwk.profile.schedulerName, (this.clock.now() - start) / 1000);
    const reason = rejected ? 'Unschedulable' : 'SchedulerError';
    const message = status.message();
    if (rejected) this.logger.info('unable to schedule pod; no fit; waiting', { pod: podName(pod), err: message });
    else this.logger.error('error scheduling pod; retrying', { pod: podName(pod), err: message });
    const current = this.api.getPod ? this.api.getPod(pod) : pod;
    if (current && !assigned(current)) {
      this.queue.addUnschedulableIfNotPresent(info, cycle, !rejected);
    } else this.queue.done(info.key);
    if (!current || assigned(current)) return;
    if (nominatedNodeName) this.nominator.add(current, nominatedNodeName);
    this.recorder?.event(podRef(pod), 'Warning', 'FailedScheduling', message);
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: formatTime(this.clock.now()),
    };
    const existing = current.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (existing && existing.status === 'False' && existing.reason === reason && existing.message === message && !nominatedNodeName) return;
    if (existing?.status === 'False' && existing.lastTransitionTime) condition.lastTransitionTime = existing.lastTransitionTime;
    void fwk;
    this.api.updatePodCondition(current, condition, nominatedNodeName || undefined).catch((err: unknown) => {
      this.logger.warn('updating the pod status failed', { pod: podName(pod), err: String(err) });
    });
  }
}

function podRef(pod: Pod): Pod {
  return { ...pod, apiVersion: 'v1', kind: 'Pod' };
}

function assigned(pod: Pod): boolean {
  return !!pod.spec?.nodeName;
}

function terminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Node changes that could make a pod fit (nodeSchedulingPropertiesChanged). */
export function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  const j = (x: unknown) => JSON.stringify(x ?? null);
  return (
    a.spec?.unschedulable !== b.spec?.unschedulable ||
    j(a.metadata?.labels) !== j(b.metadata?.labels) ||
    j(a.spec?.taints) !== j(b.spec?.taints) ||
    j(a.status?.allocatable) !== j(b.status?.allocatable) ||
    j(a.status?.capacity) !== j(b.status?.capacity) ||
    j(a.status?.conditions?.map((c) => [c.type, c.status])) !== j(b.status?.conditions?.map((c) => [c.type, c.status]))
  );
}
