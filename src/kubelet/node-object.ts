// The Node the kubelet registers and the NodeStatus it reports: capacity and allocatable from the
// host (allocatable less the hard eviction thresholds for memory.available and nodefs.available,
// Kubernetes' defaults 100Mi and 10% unless given), addresses, nodeInfo, default labels, the
// kubelet endpoint, and the four conditions with the kubelet's reasons and messages.

import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import type { HostInfo } from './host-info.js';
import { DEFAULT_EVICTION_HARD, parseEvictionHard, thresholdAmount, type Threshold } from './eviction/thresholds.js';

export const KUBELET_VERSION = 'v1.32.0-kite.0.1.0';
export const MAX_PODS = 110;
const DEFAULT_THRESHOLDS = parseEvictionHard(DEFAULT_EVICTION_HARD);

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  /** Extra labels (node-role.kubernetes.io/…) and taints given on the command line. */
  labels: Record<string, string>;
  taints: Taint[];
  kubeletPort: number;
  /** "<runtimeName>://<version>". */
  containerRuntimeVersion: string;
}

export function defaultNodeLabels(id: NodeIdentity, host: HostInfo): Record<string, string> {
  return {
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': host.operatingSystem,
    'kubernetes.io/arch': host.architecture,
    'beta.kubernetes.io/os': host.operatingSystem,
    'beta.kubernetes.io/arch': host.architecture,
  };
}

/** The Node object to create on registration. */
export function initialNode(id: NodeIdentity, host: HostInfo): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.nodeName,
      labels: { ...defaultNodeLabels(id, host), ...id.labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: id.taints.length > 0 ? { taints: id.taints } : {},
  };
}

/** What a hard threshold on `signal` keeps back from allocatable (nodeallocatable's hardEvictionReservation). */
function reservation(thresholds: readonly Threshold[], signal: Threshold['signal'], capacity: number): number {
  const t = thresholds.find((x) => x.signal === signal);
  return t ? thresholdAmount(t.value, capacity) : 0;
}

/** Capacity, allocatable, addresses, nodeInfo and the daemon endpoint (no conditions). */
export function nodeStatusFacts(id: NodeIdentity, host: HostInfo, evictionHard: readonly Threshold[] = DEFAULT_THRESHOLDS): NodeStatus {
  const memKi = Math.floor(host.memoryBytes / 1024);
  const allocMemKi = Math.max(0, Math.floor((host.memoryBytes - reservation(evictionHard, 'memory.available', host.memoryBytes)) / 1024));
  const storageKi = Math.floor(host.ephemeralStorageBytes / 1024);
  const allocStorage = Math.max(0, host.ephemeralStorageBytes - reservation(evictionHard, 'nodefs.available', host.ephemeralStorageBytes));
  return {
    capacity: {
      cpu: String(host.cpuCount),
      memory: `${memKi}Ki`,
      'ephemeral-storage': `${storageKi}Ki`,
      pods: String(MAX_PODS),
    },
    allocatable: {
      cpu: String(host.cpuCount),
      memory: `${allocMemKi}Ki`,
      'ephemeral-storage': String(allocStorage),
      pods: String(MAX_PODS),
    },
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.systemUUID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion: id.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: host.operatingSystem,
      architecture: host.architecture,
    },
  };
}

interface ConditionSpec {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

const PRESSURE_CONDITIONS: Record<string, { on: Omit<ConditionSpec, 'status'>; off: Omit<ConditionSpec, 'status'> }> = {
  MemoryPressure: {
    on: { type: 'MemoryPressure', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' },
    off: { type: 'MemoryPressure', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  },
  DiskPressure: {
    on: { type: 'DiskPressure', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' },
    off: { type: 'DiskPressure', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  },
  PIDPressure: {
    on: { type: 'PIDPressure', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' },
    off: { type: 'PIDPressure', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  },
};

/** The kubelet's conditions (nodestatus setters): a pressure condition is True while the eviction
 *  manager reports it in `pressure`; Ready is False with the kubelet's KubeletNotReady reason while
 *  `notReady` names a problem. */
export function nodeConditions(notReady?: string, pressure: ReadonlySet<string> = new Set()): ConditionSpec[] {
  const ready: ConditionSpec = notReady
    ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: notReady }
    : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
  const pressureSpecs = Object.entries(PRESSURE_CONDITIONS).map(([type, c]): ConditionSpec =>
    pressure.has(type) ? { ...c.on, status: 'True' } : { ...c.off, status: 'False' },
  );
  return [...pressureSpecs, ready];
}

/** Conditions stamped with the heartbeat time; lastTransitionTime kept while the status is unchanged. */
export function stampConditions(specs: ConditionSpec[], previous: readonly NodeCondition[] | undefined, heartbeat: string): NodeCondition[] {
  return specs.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    const transition = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : heartbeat;
    return { ...c, lastHeartbeatTime: heartbeat, lastTransitionTime: transition };
  });
}
