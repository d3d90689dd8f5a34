// NodeInfo (framework.NodeInfo): a node with the pods on it (bound or assumed), what they request
// (and the same with scoring's non-zero defaults), and the host ports they use. The cache keeps one
// per node and bumps its generation on each change; snapshots clone the changed ones.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Resource, nodeAllocatable, podRequests } from './resource.js';

export interface PodInfo {
  pod: Pod;
  requests: Resource;
  nonZeroRequests: Resource;
}

export function newPodInfo(pod: Pod): PodInfo {
  return { pod, requests: podRequests(pod), nonZeroRequests: podRequests(pod, true) };
}

export function podKey(pod: Pod): string {
  return pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function podName(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

/** "protocol/ip/port" entries; 0.0.0.0 conflicts with every ip. */
export class HostPorts {
  private readonly used = new Map<string, number>();

  static key(protocol: string, ip: string, port: number): string {
    return `${protocol}/${ip}/${port}`;
  }
  add(protocol: string, ip: string, port: number, sign = 1): void {
    const k = HostPorts.key(protocol, ip, port);
    const n = (this.used.get(k) ?? 0) + sign;
    if (n <= 0) this.used.delete(k);
    else this.used.set(k, n);
  }
  /** HostPortInfo.CheckConflict. */
  conflicts(protocol: string, ip: string, port: number): boolean {
    if (port <= 0) return false;
    if (ip === '0.0.0.0') {
      for (const k of this.used.keys()) {
        const [p, , portText] = k.split('/');
        if (p === protocol && Number(portText) === port) return true;
      }
      return false;
    }
    return this.used.has(HostPorts.key(protocol, ip, port)) || this.used.has(HostPorts.key(protocol, '0.0.0.0', port));
  }
  clone(): HostPorts {
    const h = new HostPorts();
    for (const [k, v] of this.used) h.used.set(k, v);
    return h;
  }
  get size(): number {
    return this.used.size;
  }
}

export interface ContainerHostPort {
  protocol: string;
  ip: string;
  port: number;
}

export function podHostPorts(pod: Pod): ContainerHostPort[] {
  const out: ContainerHostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol || 'TCP', ip: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}

export class NodeInfo {
  private nodeObject: Node | undefined;
  /** The node's name, kept beside the node (read for every node in every cycle). */
  private nodeName = '';
  /**
   * Flat copies of the pod count and of cpu/memory/ephemeral-storage in allocatable, requested and
   * nonZeroRequested, kept in step by setNode/addPodInfo/removePod: Filter and Score read them for
   * hundreds of nodes per cycle, and one object's own fields cost fewer cache misses than four
   * objects' (the NodeInfo, its pod array and two or three Resources).
   */
  podCount = 0;
  allocMilliCPU = 0;
  allocMemory = 0;
  allocEphemeralStorage = 0;
  allocPods = 0;
  reqMilliCPU = 0;
  reqMemory = 0;
  reqEphemeralStorage = 0;
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  pods: PodInfo[] = [];
  /** The pods with any pod (anti-)affinity, and those with required anti-affinity: kept apart, as
   *  kube-scheduler's NodeInfo does, so InterPodAffinity walks only them for a pod without terms. */
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested = new Resource();
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  usedPorts = new HostPorts();
  generation = 0;
  /** Values plugins derive from this NodeInfo's pods (memo), dropped on every change. */
  private memo: Map<string, number> | undefined;

  constructor(node?: Node, ...pods: Pod[]) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  get node(): Node | undefined {
    return this.nodeObject;
  }

  set node(node: Node | undefined) {
    this.nodeObject = node;
    this.nodeName = node?.metadata?.name ?? '';
  }

  get name(): string {
    return this.nodeName;
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.syncFlat();
    this.generation++;
    this.memo = undefined;
  }

  /** `compute()` once per key until this NodeInfo changes (e.g. matching pods per selector). */
  memoized(key: string, compute: () => number): number {
    let v = this.memo?.get(key);
    if (v === undefined) {
      v = compute();
      (this.memo ??= new Map()).set(key, v);
    }
    return v;
  }

  addPod(pod: Pod): void {
    this.addPodInfo(newPodInfo(pod));
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    const affinity = pi.pod.spec?.affinity;
    if (affinity?.podAffinity || affinity?.podAntiAffinity) this.podsWithAffinity.push(pi);
    if (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** Removes the pod with this pod's key; false if it was not here. */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const i = this.pods.findIndex((p) => podKey(p.pod) === key);
    if (i < 0) return false;
    const [pi] = this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((p) => p !== pi);
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p !== pi);
    this.update(pi!, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.add(pi.nonZeroRequests, sign);
    this.syncFlat();
    for (const hp of podHostPorts(pi.pod)) this.usedPorts.add(hp.protocol, hp.ip, hp.port, sign);
    this.generation++;
    this.memo = undefined;
  }

  private syncFlat(): void {
    this.podCount = this.pods.length;
    this.allocMilliCPU = this.allocatable.milliCPU;
    this.allocMemory = this.allocatable.memory;
    this.allocEphemeralStorage = this.allocatable.ephemeralStorage;
    this.allocPods = this.allocatable.allowedPodNumber;
    this.reqMilliCPU = this.requested.milliCPU;
    this.reqMemory = this.requested.memory;
    this.reqEphemeralStorage = this.requested.ephemeralStorage;
    this.nonZeroMilliCPU = this.nonZeroRequested.milliCPU;
    this.nonZeroMemory = this.nonZeroRequested.memory;
  }

  clone(): NodeInfo {
    const n = new NodeInfo();
    n.node = this.node;
    n.pods = [...this.pods];
    n.podsWithAffinity = [...this.podsWithAffinity];
    n.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    n.requested = this.requested.clone();
    n.nonZeroRequested = this.nonZeroRequested.clone();
    n.allocatable = this.allocatable.clone();
    n.usedPorts = this.usedPorts.clone();
    n.generation = this.generation;
    n.syncFlat();
    return n;
  }
}
