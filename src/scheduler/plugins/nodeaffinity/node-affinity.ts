// NodeAffinity: Filter requires spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution
// to match the node; Score sums the weights of the matching preferred terms, normalized to 0–100.
// Args addedAffinity (a NodeAffinity every pod gets in this profile) are honoured. PreScore
// collects the preferred terms once per cycle and returns Skip when there are none, as
// kube-scheduler's does (Score is then not run for the pod).

import type { Node, NodeAffinity as NodeAffinitySpec, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ClusterEventWithHint, type EnqueueExtensions, type QueueingHint, type FilterPlugin, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { defaultNormalizeScore } from '../helper/normalize.js';
import { nodeSelectorMatches, podSpecMatchesNode, termMatches } from '../../../api/node-selector.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
const PRE_SCORE_KEY = 'PreScore' + NAME;

export function requiredMatches(pod: Pod, nodeInfo: NodeInfo): boolean {
  const node = nodeInfo.node;
  if (!node) return false;
  return podSpecMatchesNode(pod.spec, node);
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly added: NodeAffinitySpec | undefined;

  constructor(args?: Record<string, unknown>) {
    this.added = args?.['addedAffinity'] as NodeAffinitySpec | undefined;
  }

  /** A node added or changed that now matches the pod's required node selection. */
  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (pod: Pod, _old: unknown, node: unknown): QueueingHint => {
      const addedReq = this.added?.requiredDuringSchedulingIgnoredDuringExecution;
      if (addedReq && !nodeSelectorMatches(addedReq, node as Node)) return 'QueueSkip';
      return requiredMatches(pod, new NodeInfo(node as Node)) ? 'Queue' : 'QueueSkip';
    };
    return [{ event: 'NodeAdd', hint }, { event: 'NodeUpdate', hint }];
  }

  preFilter(_state: CycleState, pod: Pod): { status?: Status; result?: { nodeNames?: Set<string> } } | undefined {
    // Required terms that all pin metadata.name In [...] narrow the nodes (as kube-scheduler does).
    const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    if (terms.length === 0 && !pod.spec?.nodeSelector && !this.added) return { status: Status.skip() };
    let names: Set<string> | undefined;
    for (const t of terms) {
      const f = (t.matchFields ?? []).find((r) => r.key === 'metadata.name' && r.operator === 'In');
      if (!f) return undefined;
      names = new Set([...(names ?? []), ...(f.values ?? [])]);
    }
    return names ? { result: { nodeNames: names } } : undefined;
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.node) return Status.error('node not found');
    const addedReq = this.added?.requiredDuringSchedulingIgnoredDuringExecution;
    if (addedReq && !nodeSelectorMatches(addedReq, nodeInfo.node)) return Status.unresolvable(ERR_REASON_ENFORCED);
    return requiredMatches(pod, nodeInfo) ? undefined : Status.unresolvable(ERR_REASON_POD);
  }

  private preferredTerms(pod: Pod): PreferredSchedulingTerm[] {
    return [...(this.added?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...(pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])];
  }

  preScore(state: CycleState, pod: Pod): Status | undefined {
    const preferred = this.preferredTerms(pod);
    if (preferred.length === 0) return Status.skip();
    state.write(PRE_SCORE_KEY, preferred);
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    if (!node) return 0;
    let total = 0;
    const preferred = state.read<PreferredSchedulingTerm[]>(PRE_SCORE_KEY) ?? this.preferredTerms(pod);
    for (const p of preferred) {
      if (p.weight !== 0 && termMatches(p.preference, node)) total += p.weight;
    }
    return total;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status | undefined {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return undefined;
  }
}

export const newNodeAffinity = (args?: Record<string, unknown>) => new NodeAffinity(args);
