// NodePorts: a pod's host ports (protocol, hostIP, hostPort) must be free on the node; 0.0.0.0
// conflicts with every address.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../../framework/interfaces.js';
import { podHostPorts, type ContainerHostPort, type NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = 'PreFilter' + NAME;

export function fitsPorts(wanted: ContainerHostPort[], nodeInfo: NodeInfo): boolean {
  return wanted.every((p) => !nodeInfo.usedPorts.conflicts(p.protocol, p.ip, p.port));
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: 'AssignedPodDelete' }, { event: 'NodeAdd' }];
  }

  preFilter(state: CycleState, pod: Pod): Status | undefined {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return Status.skip();
    state.write(STATE_KEY, ports);
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    const wanted = state.read<ContainerHostPort[]>(STATE_KEY) ?? podHostPorts(pod);
    return fitsPorts(wanted, nodeInfo) ? undefined : Status.unschedulable(ERR_REASON);
  }
}

export const newNodePorts = () => new NodePorts();
