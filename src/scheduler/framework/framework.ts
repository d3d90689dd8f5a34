// The framework of one profile (frameworkruntime.frameworkImpl): the plugins instantiated from the
// registry, and the run functions of each extension point, with kube-scheduler's rules for
// statuses, Skip, weights and normalization.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Timer } from '../../util/clock.js';
import type { Profile } from './config.js';
import type { CycleState } from './cycle-state.js';
import {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  implementsMethod,
  type BindPlugin,
  type FilterPlugin,
  type FrameworkRunner,
  type Handle,
  type NodeScore,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type Registry,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import type { NodeInfo } from './node-info.js';
import { podKey } from './node-info.js';
import { Code, Status, isSuccess } from './status.js';

const NO_PODS: Pod[] = [];

/** A pod held at Permit (framework.WaitingPod). */
export class WaitingPod {
  private pending: Set<string>;
  private settle!: (s: Status) => void;
  readonly done: Promise<Status>;
  private timers: Timer[] = [];

  constructor(readonly pod: Pod, plugins: Map<string, number>, handle: Handle) {
    this.pending = new Set(plugins.keys());
    this.done = new Promise((resolve) => (this.settle = resolve));
    for (const [name, ms] of plugins) this.timers.push(handle.clock.setTimeout(() => this.reject(name, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${name}`), ms));
  }
  allow(plugin: string): void {
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(Status.success());
  }
  reject(plugin: string, message: string): void {
    this.finish(Status.unschedulable(message).withPlugin(plugin));
  }
  private finish(s: Status): void {
    for (const t of this.timers) t.cancel();
    this.settle(s);
  }
}

export class Framework implements FrameworkRunner {
  readonly plugins = new Map<string, Plugin>();
  private readonly preFilter: PreFilterPlugin[] = [];
  private readonly filter: FilterPlugin[] = [];
  private readonly postFilter: PostFilterPlugin[] = [];
  private readonly preScore: PreScorePlugin[] = [];
  private readonly score: ScorePlugin[] = [];
  private readonly reserve: ReservePlugin[] = [];
  private readonly permit: PermitPlugin[] = [];
  private readonly preBind: PreBindPlugin[] = [];
  private readonly bind: BindPlugin[] = [];
  private readonly postBind: PostBindPlugin[] = [];
  readonly waitingPods = new Map<string, WaitingPod>();

  constructor(
    readonly profile: Profile,
    registry: Registry,
    readonly handle: Handle,
  ) {
    for (const name of profile.plugins) {
      const factory = registry.get(name);
      if (!factory) throw new Error(`profile ${profile.schedulerName}: plugin "${name}" is not registered`);
      this.plugins.set(name, factory(profile.args.get(name), { ...handle, framework: this }));
    }
    const at = <T extends Plugin>(point: keyof Profile['points'], method: keyof T, into: T[]) => {
      for (const name of profile.points[point]) {
        const p = this.plugins.get(name);
        if (p && implementsMethod<T>(p, method)) into.push(p);
      }
    };
    at<PreFilterPlugin>('preFilter', 'preFilter', this.preFilter);
    at<FilterPlugin>('filter', 'filter', this.filter);
    at<PostFilterPlugin>('postFilter', 'postFilter', this.postFilter);
    at<PreScorePlugin>('preScore', 'preScore', this.preScore);
    at<ScorePlugin>('score', 'score', this.score);
    at<ReservePlugin>('reserve', 'reserve', this.reserve);
    at<PermitPlugin>('permit', 'permit', this.permit);
    at<PreBindPlugin>('preBind', 'preBind', this.preBind);
    at<BindPlugin>('bind', 'bind', this.bind);
    at<PostBindPlugin>('postBind', 'postBind', this.postBind);
    if (this.bind.length === 0) throw new Error(`profile ${profile.schedulerName}: at least one bind plugin is needed`);
  }

  get schedulerName(): string {
    return this.profile.schedulerName;
  }

  hasFilterPlugins(): boolean {
    return this.filter.length > 0;
  }
  hasScorePlugins(): boolean {
    return this.score.length > 0;
  }
  hasPostFilterPlugins(): boolean {
    return this.postFilter.length > 0;
  }

  /** Runs PreFilter plugins; the results' node sets are intersected. */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): { result: PreFilterResult | undefined; status: Status } {
    let result: PreFilterResult | undefined;
    for (const p of this.preFilter) {
      let out;
      try {
        out = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { result: undefined, status: Status.error(err).withPlugin(p.name) };
      }
      const { result: r, status } = out instanceof Status ? { result: undefined, status: out } : { result: out?.result, status: out?.status };
      if (status?.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!isSuccess(status)) {
        const s = status!.withPlugin(p.name);
        if (s.isRejected()) return { result: undefined, status: s };
        return { result: undefined, status: new Status(Code.Error, [`running PreFilter plugin "${p.name}": ${s.message()}`]).withPlugin(p.name) };
      }
      if (r?.nodeNames) {
        result = { nodeNames: result?.nodeNames ? new Set([...result.nodeNames].filter((n) => r.nodeNames!.has(n))) : new Set(r.nodeNames) };
        if (result.nodeNames!.size === 0) {
          return { result, status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${p.name}]`).withPlugin(p.name) };
        }
      }
    }
    return { result, status: Status.success() };
  }

  /** The Filter plugins PreFilter did not skip, in order (computed once per cycle by callers). */
  activeFilterPlugins(state: CycleState): FilterPlugin[] {
    if (state.skipFilterPlugins.size === 0) return this.filter;
    return this.filter.filter((p) => !state.skipFilterPlugins.has(p.name));
  }

  /** Runs Filter plugins on one node; the first non-success status wins. `plugins`: activeFilterPlugins(state). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo, plugins?: FilterPlugin[]): Status {
    const list = plugins ?? this.activeFilterPlugins(state);
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      let s: Status | undefined;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (err) {
        s = Status.error(err);
      }
      if (!isSuccess(s)) {
        if (!s!.isRejected()) return new Status(Code.Error, [`running "${p.name}" filter plugin: ${s!.message()}`], s!.error).withPlugin(p.name);
        return s!.withPlugin(p.name);
      }
    }
    return Status.success();
  }

  /**
   * RunFilterPluginsWithNominatedPods: pods nominated to the node with at least this pod's priority
   * count against it (first pass); if they were added and the pod fits, it must also fit without
   * them (second pass), since they may never land there. `plugins`: activeFilterPlugins(state).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo, plugins?: FilterPlugin[]): Status {
    const nominated = this.nominatedAtLeast(pod, nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo, plugins);
    const withState = state.clone();
    const withNode = nodeInfo.clone();
    for (const p of nominated) {
      withNode.addPod(p);
      const s = this.runPreFilterExtensionAddPod(withState, pod, p, withNode);
      if (!s.isSuccess()) return s;
    }
    const first = this.runFilterPlugins(withState, pod, withNode, plugins);
    if (!first.isSuccess()) return first;
    return this.runFilterPlugins(state, pod, nodeInfo, plugins);
  }

  private nominatedAtLeast(pod: Pod, nodeName: string): Pod[] {
    if (this.handle.hasNominatedPods?.() === false) return NO_PODS;
    const all = this.handle.nominatedPodsForNode?.(nodeName) ?? NO_PODS;
    if (all.length === 0) return all;
    const priority = pod.spec?.priority ?? 0;
    const uid = pod.metadata?.uid;
    return all.filter((p) => p.metadata?.uid !== uid && (p.spec?.priority ?? 0) >= priority);
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status {
    return this.runPreFilterExtension('addPod', state, podToSchedule, podToAdd, nodeInfo);
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status {
    return this.runPreFilterExtension('removePod', state, podToSchedule, podToRemove, nodeInfo);
  }

  private runPreFilterExtension(which: 'addPod' | 'removePod', state: CycleState, podToSchedule: Pod, other: Pod, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      const ext = p[which];
      if (!ext || state.skipFilterPlugins.has(p.name)) continue;
      let s: Status | undefined;
      try {
        s = ext.call(p, state, podToSchedule, other, nodeInfo);
      } catch (err) {
        s = Status.error(err);
      }
      if (!isSuccess(s)) return new Status(Code.Error, [`running ${which === 'addPod' ? 'AddPod' : 'RemovePod'} on PreFilter plugin "${p.name}": ${s!.message()}`], s!.error).withPlugin(p.name);
    }
    return Status.success();
  }

  runPostFilterPlugins(state: CycleState, pod: Pod, statuses: Map<string, Status>): { result?: PostFilterResult; status: Status } {
    const reasons: string[] = [];
    for (const p of this.postFilter) {
      const out = p.postFilter(state, pod, statuses);
      if (out.status.isSuccess()) return out;
      if (!out.status.isRejected()) return { status: out.status.withPlugin(p.name) };
      reasons.push(...out.status.reasons);
    }
    return { status: Status.unschedulable(...reasons) };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status {
    for (const p of this.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s?.isSkip()) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (!isSuccess(s)) return new Status(Code.Error, [`running PreScore plugin "${p.name}": ${s!.message()}`]).withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * Scores, normalizes and weighs; returns the total per node (in the order of `nodes`). Scores are
   * kept in one number array per plugin; a NodeScore list is made only for plugins that normalize.
   */
  runScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): { totals: NodeScore[]; status: Status } {
    const { sums, status } = this.runScorePluginsSums(state, pod, nodes);
    return { totals: nodes.map((node, i) => ({ name: node.name, score: sums[i]! })), status };
  }

  /** runScorePlugins with the totals as one array (what the scheduling cycle uses). */
  runScorePluginsSums(state: CycleState, pod: Pod, nodes: NodeInfo[]): { sums: Float64Array; status: Status } {
    const n = nodes.length;
    const sums = new Float64Array(n);
    const scores = new Array<number>(n);
    for (const p of this.score) {
      if (state.skipScorePlugins.size > 0 && state.skipScorePlugins.has(p.name)) continue;
      for (let i = 0; i < n; i++) {
        const out = p.score(state, pod, nodes[i]!);
        if (typeof out === 'number') scores[i] = out;
        else {
          if (!out.status.isSuccess()) return { sums, status: new Status(Code.Error, [`plugin "${p.name}" failed with: ${out.status.message()}`]).withPlugin(p.name) };
          scores[i] = out.score;
        }
      }
      if (p.normalizeScore) {
        const list: NodeScore[] = nodes.map((node, i) => ({ name: node.name, score: scores[i]! }));
        const ns = p.normalizeScore(state, pod, list);
        if (!isSuccess(ns)) return { sums, status: new Status(Code.Error, [`plugin "${p.name}" failed with: ${ns!.message()}`]).withPlugin(p.name) };
        for (let i = 0; i < n; i++) scores[i] = list[i]!.score;
      }
      const weight = this.profile.weights.get(p.name) ?? 1;
      for (let i = 0; i < n; i++) {
        const s = scores[i]!;
        if (s > MAX_NODE_SCORE || s < MIN_NODE_SCORE) {
          return { sums, status: new Status(Code.Error, [`plugin "${p.name}" returns an invalid score ${s}, it should in the range of [0, 100] after normalizing`]) };
        }
        sums[i] += s * weight;
      }
    }
    return { sums, status: Status.success() };
  }

  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reserve) {
      const s = p.reserve(state, pod, nodeName);
      if (!isSuccess(s)) return s!.isRejected() ? s!.withPlugin(p.name) : new Status(Code.Error, [`running Reserve plugin "${p.name}": ${s!.message()}`]).withPlugin(p.name);
    }
    return Status.success();
  }

  /** Unreserve in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of [...this.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  /** Runs Permit plugins; Wait registers a WaitingPod (see waitOnPermit). */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    const waits = new Map<string, number>();
    for (const p of this.permit) {
      const out = p.permit(state, pod, nodeName);
      const s = out?.status;
      if (isSuccess(s)) continue;
      if (s!.isRejected()) return s!.withPlugin(p.name);
      if (s!.isWait()) {
        waits.set(p.name, Math.min(out?.timeoutMs ?? 15 * 60_000, 15 * 60_000));
        continue;
      }
      return new Status(Code.Error, [`running Permit plugin "${p.name}": ${s!.message()}`]).withPlugin(p.name);
    }
    if (waits.size > 0) {
      this.waitingPods.set(podKey(pod), new WaitingPod(pod, waits, this.handle));
      return Status.wait();
    }
    return Status.success();
  }

  async waitOnPermit(pod: Pod): Promise<Status> {
    const wp = this.waitingPods.get(podKey(pod));
    if (!wp) return Status.success();
    try {
      return await wp.done;
    } finally {
      this.waitingPods.delete(podKey(pod));
    }
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBind) {
      let s: Status | undefined;
      try {
        s = await p.preBind(state, pod, nodeName);
      } catch (err) {
        s = Status.error(err);
      }
      if (!isSuccess(s)) return s!.withPlugin(p.name);
    }
    return Status.success();
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.bind) {
      let s: Status | undefined;
      try {
        s = await p.bind(state, pod, nodeName);
      } catch (err) {
        s = Status.error(err);
      }
      if (s?.isSkip()) continue;
      if (!isSuccess(s)) return s!.withPlugin(p.name);
      return Status.success();
    }
    return Status.skip();
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBind) p.postBind(state, pod, nodeName);
  }
}
