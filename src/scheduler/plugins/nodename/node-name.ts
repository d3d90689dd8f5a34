// NodeName: a pod that names a node (spec.nodeName) fits only that node.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function fits(pod: Pod, nodeInfo: NodeInfo): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === nodeInfo.name;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: 'NodeAdd' }];
  }
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.node) return Status.error('node not found');
    return fits(pod, nodeInfo) ? undefined : Status.unresolvable(ERR_REASON);
  }
}

export const newNodeName = () => new NodeName();
