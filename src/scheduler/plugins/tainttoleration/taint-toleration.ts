// TaintToleration: Filter rejects nodes with a NoSchedule or NoExecute taint the pod does not
// tolerate; Score counts the PreferNoSchedule taints it does not tolerate (fewer is better).

import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ClusterEventWithHint, type EnqueueExtensions, type QueueingHint, type FilterPlugin, type NodeScore, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { defaultNormalizeScore } from '../helper/normalize.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from '../helper/taints.js';

export const NAME = 'TaintToleration';
const STATE_KEY = 'PreScore' + NAME;

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  /** A node added or changed whose NoSchedule/NoExecute taints the pod tolerates. */
  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (pod: Pod, _old: unknown, node: unknown): QueueingHint =>
      findUntoleratedTaint((node as Node).spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') ? 'QueueSkip' : 'Queue';
    return [{ event: 'NodeAdd', hint }, { event: 'NodeUpdate', hint }];
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const taint = findUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (!taint) return undefined;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: Pod): Status | undefined {
    state.write(STATE_KEY, (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const tolerations = state.read<Toleration[]>(STATE_KEY) ?? pod.spec?.tolerations ?? [];
    let n = 0;
    for (const taint of nodeInfo.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) n++;
    }
    return n;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status | undefined {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return undefined;
  }
}

export const newTaintToleration = () => new TaintToleration();
