// InterPodAffinity: required pod affinity / anti-affinity (Filter, with the counts computed once in
// PreFilter), existing pods' required anti-affinity against the incoming pod, and the preferred
// terms of both sides (PreScore/Score, normalized min–max to 0–100), as kube-scheduler's
// interpodaffinity plugin does. Args: hardPodAffinityWeight (default 1),
// ignorePreferredTermsOfExistingPods (default false).
//
// namespaceSelector needs namespace labels. The framework's Handle has no namespace lister, so the
// plugin takes an optional `namespaceLabels(ns)` lookup; without one, an empty namespaceSelector ({})
// still matches every namespace and a non-empty one matches no namespace (only `namespaces` count).

import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector, type Selector } from '../../../api/labels/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type Handle, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

/** framework.AffinityTerm: a term with its selectors compiled and namespaces resolved. */
export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  /** undefined: nil namespaceSelector (matches nothing). */
  nsSelector: Selector | undefined;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

function compile(sel: PodAffinityTerm['labelSelector']): Selector {
  try {
    return selectorFromLabelSelector(sel ?? undefined);
  } catch {
    return selectorFromLabelSelector(undefined);
  }
}

export function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const ns = pod.metadata?.namespace ?? 'default';
  const namespaces = new Set(term.namespaces?.length || term.namespaceSelector ? (term.namespaces ?? []) : [ns]);
  return {
    namespaces,
    selector: compile(term.labelSelector),
    topologyKey: term.topologyKey,
    nsSelector: term.namespaceSelector ? compile(term.namespaceSelector) : undefined,
  };
}

/** AffinityTerm.Matches: the pod's namespace is covered and its labels match. */
export function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  if (t.namespaces.has(ns) || (t.nsSelector !== undefined && nsLabels !== undefined && t.nsSelector.matches(nsLabels)) || (t.nsSelector !== undefined && t.nsSelector.empty)) {
    return t.selector.matches(pod.metadata?.labels ?? {});
  }
  return false;
}

function allTermsMatch(terms: AffinityTerm[], pod: Pod, nsLabels: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => termMatches(t, pod, nsLabels(pod.metadata?.namespace ?? 'default')));
}

interface PodTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

const termsCache = new WeakMap<Pod, PodTerms>();

/** The compiled terms of a pod (framework.PodInfo's affinity fields), cached per object. */
export function podTerms(pod: Pod): PodTerms {
  let t = termsCache.get(pod);
  if (t) return t;
  const a = pod.spec?.affinity;
  const weighted = (ws: WeightedPodAffinityTerm[] | undefined) => (ws ?? []).map((w) => ({ ...newAffinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
  t = {
    requiredAffinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => newAffinityTerm(pod, x)),
    requiredAntiAffinity: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => newAffinityTerm(pod, x)),
    preferredAffinity: weighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  termsCache.set(pod, t);
  return t;
}

function hasAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}

/** A term's namespaces and selector as text (for terms without namespaceSelector). */
function termKey(t: AffinityTerm): string {
  return `${[...t.namespaces].sort().join(',')}\u0000${t.selector.toString()}\u0000${t.selector.matchesNothing}`;
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

type Counts = Map<string, number>;

function bump(m: Counts, key: string, value: string, by: number): void {
  const k = pairKey(key, value);
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

class PreFilterState implements StateData {
  constructor(
    readonly terms: PodTerms,
    readonly existingAntiAffinityCounts: Counts = new Map(),
    readonly affinityCounts: Counts = new Map(),
    readonly antiAffinityCounts: Counts = new Map(),
  ) {}
  clone(): PreFilterState {
    return new PreFilterState(this.terms, new Map(this.existingAntiAffinityCounts), new Map(this.affinityCounts), new Map(this.antiAffinityCounts));
  }
}

interface PreScoreState {
  topologyScore: Map<string, Map<string, number>>;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  /** Assigned pods coming, changing or going, and nodes added or changed (labels). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: 'AssignedPodAdd' }, { event: 'AssignedPodUpdate' }, { event: 'AssignedPodDelete' }, { event: 'NodeAdd' }, { event: 'NodeUpdate' }];
  }
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;
  private readonly nsLabels: NamespaceLabels;

  constructor(args?: Record<string, unknown>, private readonly handle?: Handle, namespaceLabels?: NamespaceLabels) {
    const w = args?.['hardPodAffinityWeight'];
    this.hardPodAffinityWeight = typeof w === 'number' ? w : 1;
    if (this.hardPodAffinityWeight < 0 || this.hardPodAffinityWeight > 100) throw new Error(`hardPodAffinityWeight: Invalid value: ${this.hardPodAffinityWeight}: not in valid range [0-100]`);
    this.ignorePreferredTermsOfExistingPods = args?.['ignorePreferredTermsOfExistingPods'] === true;
    this.nsLabels = namespaceLabels ?? (() => undefined);
  }

  private allNodes(given: NodeInfo[]): NodeInfo[] {
    return this.handle?.snapshot().list() ?? given;
  }

  /** The nodes with pods having required anti-affinity: the snapshot's list when `nodes` is the snapshot. */
  private nodesWithRequiredAntiAffinity(nodes: NodeInfo[]): NodeInfo[] {
    const snap = this.handle?.snapshot();
    if (snap?.havePodsWithRequiredAntiAffinityList && snap.list() === nodes) return snap.havePodsWithRequiredAntiAffinityList();
    return nodes.filter((ni) => ni.podsWithRequiredAntiAffinity.length > 0);
  }

  /** All nodes with pods having (anti-)affinity, from the snapshot's list when it has one. */
  private nodesWithAffinity(given: NodeInfo[]): NodeInfo[] {
    const snap = this.handle?.snapshot();
    if (snap?.havePodsWithAffinityList) return snap.havePodsWithAffinityList();
    return this.allNodes(given).filter((ni) => ni.podsWithAffinity.length > 0);
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): { status?: Status } | undefined {
    const terms = podTerms(pod);
    const podNsLabels = this.nsLabels(pod.metadata?.namespace ?? 'default');
    const s = new PreFilterState(terms);
    const hasRequired = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0;
    // Terms naming their namespaces (no namespaceSelector) depend only on the node's pods.
    const memoizable = [...terms.requiredAffinity, ...terms.requiredAntiAffinity].every((t) => t.nsSelector === undefined);
    // Without required terms of its own, only nodes with pods having required anti-affinity matter.
    for (const ni of hasRequired ? nodes : this.nodesWithRequiredAntiAffinity(nodes)) {
      const node = ni.node;
      if (!node) continue;
      const labels = node.metadata?.labels ?? {};
      // Existing pods' required anti-affinity against the incoming pod.
      for (const pi of ni.podsWithRequiredAntiAffinity) this.updateWithExistingAntiAffinity(s, pod, podNsLabels, pi.pod, labels, 1);
      if (!hasRequired) continue;
      // The incoming pod's own terms against the node's pods: counted once per NodeInfo change.
      if (memoizable) this.updateWithTermCounts(s, ni, labels);
      else for (const pi of ni.pods) this.updateWithIncomingTerms(s, pi.pod, labels, 1);
    }
    state.write(PRE_FILTER_KEY, s);
    if (!hasRequired && s.existingAntiAffinityCounts.size === 0) return { status: Status.skip() };
    return undefined;
  }

  /** PreFilter state for `existing` joining (multiplier 1) or leaving (-1) a node with these labels. */
  private updateWithPod(s: PreFilterState, pod: Pod, podNsLabels: Record<string, string> | undefined, existing: Pod, labels: Record<string, string>, multiplier: 1 | -1): void {
    this.updateWithExistingAntiAffinity(s, pod, podNsLabels, existing, labels, multiplier);
    this.updateWithIncomingTerms(s, existing, labels, multiplier);
  }

  /** Existing pods' required anti-affinity terms that match the incoming pod. */
  private updateWithExistingAntiAffinity(s: PreFilterState, pod: Pod, podNsLabels: Record<string, string> | undefined, existing: Pod, labels: Record<string, string>, multiplier: 1 | -1): void {
    if (!existing.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) return;
    for (const t of podTerms(existing).requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, pod, podNsLabels)) bump(s.existingAntiAffinityCounts, t.topologyKey, v, multiplier);
    }
  }

  /** The same counts as updateWithIncomingTerms over all the node's pods, memoized on the NodeInfo
   *  (only for terms without namespaceSelector, whose matches depend on the pods alone). */
  private updateWithTermCounts(s: PreFilterState, ni: NodeInfo, labels: Record<string, string>): void {
    if (ni.pods.length === 0) return;
    const { requiredAffinity, requiredAntiAffinity } = s.terms;
    if (requiredAffinity.length > 0) {
      const key = `${NAME}\u0000affinity\u0000${requiredAffinity.map(termKey).join('\u0001')}`;
      const n = ni.memoized(key, () => ni.pods.filter((pi) => requiredAffinity.every((t) => termMatches(t, pi.pod, undefined))).length);
      for (const t of n > 0 ? requiredAffinity : []) {
        const v = labels[t.topologyKey];
        if (v !== undefined) bump(s.affinityCounts, t.topologyKey, v, n);
      }
    }
    for (const t of requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v === undefined) continue;
      const n = ni.memoized(`${NAME}\u0000anti\u0000${termKey(t)}`, () => ni.pods.filter((pi) => termMatches(t, pi.pod, undefined)).length);
      if (n > 0) bump(s.antiAffinityCounts, t.topologyKey, v, n);
    }
  }

  /** The incoming pod's required (anti-)affinity terms against an existing pod. */
  private updateWithIncomingTerms(s: PreFilterState, existing: Pod, labels: Record<string, string>, multiplier: 1 | -1): void {
    const terms = s.terms;
    if (terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return;
    const exNs = this.nsLabels(existing.metadata?.namespace ?? 'default');
    // Affinity counts only when the existing pod matches all of the incoming pod's affinity terms.
    if (terms.requiredAffinity.length > 0 && terms.requiredAffinity.every((t) => termMatches(t, existing, exNs))) {
      for (const t of terms.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v !== undefined) bump(s.affinityCounts, t.topologyKey, v, multiplier);
      }
    }
    for (const t of terms.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, existing, exNs)) bump(s.antiAffinityCounts, t.topologyKey, v, multiplier);
    }
  }

  addPod(state: CycleState, pod: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status | undefined {
    return this.extend(state, pod, podToAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, pod: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status | undefined {
    return this.extend(state, pod, podToRemove, nodeInfo, -1);
  }

  private extend(state: CycleState, pod: Pod, other: Pod, nodeInfo: NodeInfo, multiplier: 1 | -1): Status | undefined {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.missingState(PRE_FILTER_KEY);
    this.updateWithPod(s, pod, this.nsLabels(pod.metadata?.namespace ?? 'default'), other, nodeInfo.node?.metadata?.labels ?? {}, multiplier);
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.missingState(PRE_FILTER_KEY);
    const labels = node.metadata?.labels ?? {};
    if (!this.satisfiesAffinity(s, pod, labels)) return Status.unresolvable(ERR_REASON_AFFINITY);
    for (const t of s.terms.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [k, v] of Object.entries(labels)) {
        if ((s.existingAntiAffinityCounts.get(pairKey(k, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return undefined;
  }

  private satisfiesAffinity(s: PreFilterState, pod: Pod, labels: Record<string, string>): boolean {
    let podsExist = true;
    for (const t of s.terms.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v === undefined) return false; // every topology label must be on the node
      if ((s.affinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
    }
    if (!podsExist) {
      // The first pod of a group with affinity to itself: allowed when no pod matches anywhere.
      return s.affinityCounts.size === 0 && allTermsMatch(s.terms.requiredAffinity, pod, this.nsLabels);
    }
    return true;
  }

  preScore(state: CycleState, pod: Pod, _filtered: NodeInfo[]): Status | undefined {
    const terms = podTerms(pod);
    const hasConstraints = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
    if (!hasConstraints && this.ignorePreferredTermsOfExistingPods) return Status.skip();
    const topologyScore = new Map<string, Map<string, number>>();
    const add = (key: string, value: string, by: number) => {
      let m = topologyScore.get(key);
      if (!m) topologyScore.set(key, (m = new Map()));
      m.set(value, (m.get(value) ?? 0) + by);
    };
    const podNsLabels = this.nsLabels(pod.metadata?.namespace ?? 'default');
    const process = (ts: WeightedAffinityTerm[], target: Pod, nsLabels: Record<string, string> | undefined, labels: Record<string, string>, mult: number) => {
      for (const t of ts) {
        const v = labels[t.topologyKey];
        if (v !== undefined && termMatches(t, target, nsLabels)) add(t.topologyKey, v, t.weight * mult);
      }
    };
    for (const ni of hasConstraints ? this.allNodes(_filtered) : this.nodesWithAffinity(_filtered)) {
      const labels = ni.node?.metadata?.labels;
      if (!labels || Object.keys(labels).length === 0) continue;
      for (const pi of hasConstraints ? ni.pods : ni.podsWithAffinity) {
        const existing = pi.pod;
        if (!hasConstraints && !hasAffinity(existing)) continue;
        if (hasConstraints) {
          const exNs = this.nsLabels(existing.metadata?.namespace ?? 'default');
          process(terms.preferredAffinity, existing, exNs, labels, 1);
          process(terms.preferredAntiAffinity, existing, exNs, labels, -1);
        }
        if (!hasAffinity(existing)) continue;
        const ex = podTerms(existing);
        if (this.hardPodAffinityWeight > 0) {
          process(ex.requiredAffinity.map((t) => ({ ...t, weight: this.hardPodAffinityWeight })), pod, podNsLabels, labels, 1);
        }
        if (!this.ignorePreferredTermsOfExistingPods) {
          process(ex.preferredAffinity, pod, podNsLabels, labels, 1);
          process(ex.preferredAntiAffinity, pod, podNsLabels, labels, -1);
        }
      }
    }
    // Drop zero entries, as kube does.
    for (const [k, m] of topologyScore) {
      for (const [v, n] of m) if (n === 0) m.delete(v);
      if (m.size === 0) topologyScore.delete(k);
    }
    state.write(PRE_SCORE_KEY, { topologyScore } satisfies PreScoreState);
    if (topologyScore.size === 0) return Status.skip();
    return undefined;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return 0;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    let score = 0;
    for (const [key, values] of s.topologyScore) {
      const v = labels[key];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | undefined {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.topologyScore.size === 0) return undefined;
    let min = Infinity;
    let max = -Infinity;
    for (const x of scores) {
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    const diff = max - min;
    for (const x of scores) x.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (x.score - min)) / diff) : 0;
    return undefined;
  }
}

export const newInterPodAffinity = (args: Record<string, unknown> | undefined, handle: Handle) => new InterPodAffinity(args, handle);
