// PodTopologySpread: spec.topologySpreadConstraints as kube-scheduler's podtopologyspread plugin
// applies them. DoNotSchedule constraints filter (PreFilter counts the matching pods per domain of
// the nodes that pass nodeAffinityPolicy (default Honor) and nodeTaintsPolicy (default Ignore);
// Filter checks matchNum + selfMatch - globalMin <= maxSkew, the global minimum being 0 while there
// are fewer domains than minDomains). ScheduleAnyway constraints score (count·log(domains+2) +
// maxSkew-1, normalized so fewer matching pods score higher). matchLabelKeys add `key In [value]`
// of the pod's own labels to the selector.
//
// Default constraints (pods with none of their own): args defaultingType "System" (the default:
// zone maxSkew 5 and hostname maxSkew 3, ScheduleAnyway) or "List" (args defaultConstraints). Their
// selector comes from the Services / ReplicationControllers / ReplicaSets / StatefulSets that select
// the pod; the Handle has no listers, so the plugin takes an optional `defaultSelector(pod)` lookup.
// Without it (as with a pod nothing selects in kube) default constraints do not apply.

import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { selectorFromLabelSelector, type Selector } from '../../../api/labels/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type Handle, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { findUntoleratedTaint } from '../helper/taints.js';
import { requiredMatches } from '../nodeaffinity/node-affinity.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The system default constraints (v1.32 systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

export type DefaultSelector = (pod: Pod) => LabelSelector | undefined;

interface Constraint {
  /** The selector and namespace as text: the key of the per-NodeInfo counts (countOn). */
  countKey?: string;
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicyHonor: boolean;
  nodeTaintsPolicyHonor: boolean;
}

function compile(sel: LabelSelector | undefined): Selector {
  try {
    return selectorFromLabelSelector(sel);
  } catch {
    return selectorFromLabelSelector(undefined);
  }
}

function withMatchLabelKeys(sel: LabelSelector | undefined, keys: string[] | undefined, pod: Pod): LabelSelector | undefined {
  if (!keys?.length) return sel;
  const labels = pod.metadata?.labels ?? {};
  const extra = keys.filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'In', values: [labels[k]!] }));
  if (extra.length === 0) return sel;
  return { ...(sel ?? {}), matchExpressions: [...(sel?.matchExpressions ?? []), ...extra] };
}

function toConstraint(c: TopologySpreadConstraint, pod: Pod, selectorOverride?: LabelSelector): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: compile(withMatchLabelKeys(selectorOverride ?? c.labelSelector, c.matchLabelKeys, pod)),
    minDomains: c.minDomains ?? 1,
    nodeAffinityPolicyHonor: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    nodeTaintsPolicyHonor: c.nodeTaintsPolicy === 'Honor',
  };
}

function nodeHasAllKeys(labels: Record<string, string>, cs: Constraint[]): boolean {
  return cs.every((c) => labels[c.topologyKey] !== undefined);
}

/** Matching pods on a node, memoized on the NodeInfo: snapshot NodeInfos that did not change since
 *  the last cycle are the same objects, so their pods are not walked again. */
function countOn(ni: NodeInfo, c: Constraint, namespace: string): number {
  if (ni.pods.length === 0) return 0;
  const key = (c.countKey ??= `${NAME}\u0000${namespace}\u0000${c.selector.toString()}\u0000${c.selector.matchesNothing}`);
  return ni.memoized(key, () => countMatching(ni.pods, c.selector, namespace));
}

/** countPodsMatchSelector: same namespace, not terminating, labels match. */
export function countMatching(pods: PodInfo[], selector: Selector, namespace: string): number {
  let n = 0;
  for (const pi of pods) {
    const p = pi.pod;
    if (p.metadata?.deletionTimestamp || (p.metadata?.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(p.metadata?.labels ?? {})) n++;
  }
  return n;
}

class PreFilterState implements StateData {
  /** Per constraint, the smallest count over its domains (kube's criticalPaths), computed on use. */
  private mins: (number | undefined)[] = [];

  constructor(
    readonly constraints: Constraint[],
    /** Per constraint: domain value → matching pods. Change only through bump(). */
    readonly counts: Map<string, number>[],
  ) {}
  clone(): PreFilterState {
    return new PreFilterState(this.constraints, this.counts.map((m) => new Map(m)));
  }
  bump(i: number, domain: string, delta: number): void {
    this.counts[i]!.set(domain, (this.counts[i]!.get(domain) ?? 0) + delta);
    this.mins[i] = undefined;
  }
  min(i: number): number {
    let m = this.mins[i];
    if (m === undefined) {
      m = 2147483647;
      for (const v of this.counts[i]!.values()) if (v < m) m = v;
      this.mins[i] = m;
    }
    return m;
  }
}

/** Whether the pod has node selection of its own (else nodeAffinityPolicy Honor admits every node). */
function hasNodeSelection(pod: Pod): boolean {
  return Object.keys(pod.spec?.nodeSelector ?? {}).length > 0 || !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  counts: Map<string, number>[];
  weights: number[];
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  /** Assigned pods coming, changing or going, and nodes added or changed (labels). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: 'AssignedPodAdd' }, { event: 'AssignedPodUpdate' }, { event: 'AssignedPodDelete' }, { event: 'NodeAdd' }, { event: 'NodeUpdate' }];
  }
  readonly defaultConstraints: TopologySpreadConstraint[];
  readonly systemDefaulted: boolean;

  constructor(args?: Record<string, unknown>, private readonly handle?: Handle, private readonly defaultSelector?: DefaultSelector) {
    const type = (args?.['defaultingType'] as string | undefined) ?? 'System';
    if (type !== 'System' && type !== 'List') throw new Error(`defaultingType: Unsupported value: "${type}": supported values: "System", "List"`);
    const list = (args?.['defaultConstraints'] as TopologySpreadConstraint[] | undefined) ?? [];
    if (type === 'System' && list.length > 0) throw new Error('defaultConstraints: Invalid value: when .defaultingType is "System", .defaultConstraints must be empty');
    for (const c of list) if (c.labelSelector) throw new Error('defaultConstraints.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod');
    this.systemDefaulted = type === 'System';
    this.defaultConstraints = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : list;
  }

  /** getConstraints: the pod's own constraints of this kind, else the default ones. */
  constraints(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return own.filter((c) => c.whenUnsatisfiable === when).map((c) => toConstraint(c, pod));
    const defaults = this.defaultConstraints.filter((c) => c.whenUnsatisfiable === when);
    if (defaults.length === 0) return [];
    const sel = this.defaultSelector?.(pod);
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return [];
    return defaults.map((c) => toConstraint(c, pod, sel));
  }

  private included(c: Constraint, pod: Pod, ni: NodeInfo, selects = true): boolean {
    if (c.nodeAffinityPolicyHonor && selects && !requiredMatches(pod, ni)) return false;
    if (c.nodeTaintsPolicyHonor && findUntoleratedTaint(ni.node?.spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return false;
    return true;
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): { status?: Status } | undefined {
    const constraints = this.constraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: Status.skip() };
    const ns = pod.metadata?.namespace ?? 'default';
    const counts = constraints.map(() => new Map<string, number>());
    const selects = hasNodeSelection(pod);
    const checkIncluded = constraints.map((c) => (c.nodeAffinityPolicyHonor && selects) || c.nodeTaintsPolicyHonor);
    nodes: for (const ni of nodes) {
      const labels = ni.node?.metadata?.labels;
      if (!labels) continue;
      for (const c of constraints) if (labels[c.topologyKey] === undefined) continue nodes;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (checkIncluded[i] && !this.included(c, pod, ni, selects)) continue;
        const v = labels[c.topologyKey]!;
        const m = counts[i]!;
        m.set(v, (m.get(v) ?? 0) + countOn(ni, c, ns));
      }
    }
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, counts));
    return undefined;
  }

  addPod(state: CycleState, pod: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status | undefined {
    return this.updateWithPod(state, pod, podToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, pod: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status | undefined {
    return this.updateWithPod(state, pod, podToRemove, nodeInfo, -1);
  }

  /** The matching-pod counts with `other` joining (1) or leaving (-1) the node. */
  private updateWithPod(state: CycleState, pod: Pod, other: Pod, nodeInfo: NodeInfo, delta: 1 | -1): Status | undefined {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.missingState(PRE_FILTER_KEY);
    const labels = nodeInfo.node?.metadata?.labels;
    if (!labels || (other.metadata?.namespace ?? 'default') !== (pod.metadata?.namespace ?? 'default')) return undefined;
    if (!nodeHasAllKeys(labels, s.constraints)) return undefined;
    const otherLabels = other.metadata?.labels ?? {};
    s.constraints.forEach((c, i) => {
      if (!this.included(c, pod, nodeInfo) || !c.selector.matches(otherLabels)) return;
      s.bump(i, labels[c.topologyKey]!, delta);
    });
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.missingState(PRE_FILTER_KEY);
    const labels = node.metadata?.labels ?? {};
    const podLabels = pod.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = labels[c.topologyKey];
      if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const domains = s.counts[i]!;
      const min = domains.size < c.minDomains ? 0 : s.min(i);
      const self = c.selector.matches(podLabels) ? 1 : 0;
      const skew = (domains.get(v) ?? 0) + self - min;
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, filtered: NodeInfo[]): Status | undefined {
    const all = this.handle?.snapshot().list() ?? filtered;
    if (filtered.length === 0 || all.length === 0) return undefined;
    const constraints = this.constraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return Status.skip();
    const requireAll = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const ni of filtered) {
      const labels = ni.node?.metadata?.labels ?? {};
      if (requireAll && !nodeHasAllKeys(labels, constraints)) {
        ignored.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const v = labels[c.topologyKey];
        if (v !== undefined && !counts[i]!.has(v)) counts[i]!.set(v, 0);
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : counts[i]!.size) + 2));
    const ns = pod.metadata?.namespace ?? 'default';
    for (const ni of all) {
      const labels = ni.node?.metadata?.labels;
      if (!labels) continue;
      if (requireAll && !nodeHasAllKeys(labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME || !this.included(c, pod, ni)) return;
        const v = labels[c.topologyKey];
        if (v === undefined || !counts[i]!.has(v)) return;
        counts[i]!.set(v, counts[i]!.get(v)! + countMatching(ni.pods, c.selector, ns));
      });
    }
    state.write(PRE_SCORE_KEY, { constraints, ignored, counts, weights } satisfies PreScoreState);
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.ignored.has(nodeInfo.name)) return 0;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    const ns = pod.metadata?.namespace ?? 'default';
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(nodeInfo.pods, c.selector, ns) : (s.counts[i]!.get(v) ?? 0);
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | undefined {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return undefined;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const x of scores) {
      if (s.ignored.has(x.name)) continue;
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) {
      if (s.ignored.has(x.name)) x.score = 0;
      else if (max === 0) x.score = MAX_NODE_SCORE;
      else x.score = Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
    }
    return undefined;
  }
}

export const newPodTopologySpread = (args: Record<string, unknown> | undefined, handle: Handle) => new PodTopologySpread(args, handle);
