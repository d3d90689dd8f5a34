// Builders for tests (kube-scheduler's testing/wrappers.go, smaller): pods and nodes in a line.

import type { Container, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';

let uid = 0;

export interface PodOptions {
  name?: string;
  namespace?: string;
  /** Requests of one container (cpu, memory, …). */
  requests?: Record<string, string>;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  nodeName?: string;
  priority?: number;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: NonNullable<Pod['spec']>['affinity'];
  hostPorts?: { port: number; protocol?: string; ip?: string }[];
  schedulerName?: string;
}

export function makePod(o: PodOptions = {}): Pod {
  const name = o.name ?? `pod-${++uid}`;
  const containers = o.containers ?? [
    {
      name: 'c',
      image: 'img',
      ...(o.requests ? { resources: { requests: o.requests } } : {}),
      ...(o.hostPorts ? { ports: o.hostPorts.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol ?? 'TCP', ...(p.ip ? { hostIP: p.ip } : {}) })) } : {}),
    },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}` },
    spec: {
      containers,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.overhead ? { overhead: o.overhead } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    },
  };
}

export interface NodeOptions {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(o: NodeOptions): Node {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}
