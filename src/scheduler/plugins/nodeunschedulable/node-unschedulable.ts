// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, QueueingHint } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { tolerationsTolerateTaint } from '../helper/taints.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  /** A node added, or one that became schedulable (or whose taint the pod tolerates). */
  eventsToRegister(): ClusterEventWithHint[] {
    const hint = (pod: Pod, _old: unknown, node: unknown): QueueingHint =>
      !(node as Node).spec?.unschedulable || tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }) ? 'Queue' : 'QueueSkip';
    return [{ event: 'NodeAdd', hint }, { event: 'NodeUpdate', hint }];
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const node = nodeInfo.node;
    if (!node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.spec?.unschedulable) return undefined;
    if (tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) return undefined;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}

export const newNodeUnschedulable = () => new NodeUnschedulable();
