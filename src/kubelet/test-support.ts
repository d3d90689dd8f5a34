// Test doubles for kubelet unit tests: an in-memory ContainerRuntime whose containers run until the
// test makes them exit, and an in-memory KubeletApi recording node, lease and pod writes.

import type { Duplex } from 'node:stream';
import type { Node, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { newAlreadyExists, newConflict, newNotFound } from '../api/status-errors.js';
import { RuntimeNotFoundError } from '../runtime/errors.js';
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecSyncResult,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  StreamSession,
  VersionInfo,
} from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import type { KubeletApi } from './kubelet-api.js';
import { Kubelet, type KubeletCoreOptions } from './kubelet.js';
import { basicPodHelpers } from './seams.js';
import { resolveTimings } from './timings.js';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';

interface FakeSandbox {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
}

interface FakeContainer {
  status: ContainerStatus;
  sandboxId: string;
  config: ContainerConfig;
}

const matches = (labels: Record<string, string>, selector?: Record<string, string>): boolean =>
  !selector || Object.entries(selector).every(([k, v]) => labels[k] === v);

/** An in-memory runtime: started containers run until exit() or stopContainer(). */
export class FakeRuntime implements ContainerRuntime {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>();
  readonly calls: string[] = [];
  /** Exit code a stopped container reports. */
  stopExitCode = 137;
  /** Errors for the next createContainer / startContainer / pullImage calls. */
  failCreate: Error[] = [];
  failPull: Error[] = [];
  private next = 0;
  private ipSeq = 2;

  constructor(private readonly clock: Clock) {}

  async version(): Promise<VersionInfo> {
    return { runtimeName: 'fake', runtimeVersion: '0.0.1', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = `sb${++this.next}`;
    this.calls.push(`runPodSandbox ${config.metadata.name}`);
    this.sandboxes.set(id, {
      config,
      status: {
        id,
        metadata: config.metadata,
        state: 'ready',
        createdAt: this.clock.now(),
        ips: config.hostNetwork ? ['192.168.0.10'] : [`10.88.0.${this.ipSeq++}`],
        hostNetwork: config.hostNetwork,
        labels: config.labels,
        annotations: config.annotations,
      },
    });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.calls.push(`stopPodSandbox ${id}`);
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    for (const c of this.containers.values()) if (c.sandboxId === id) this.finish(c, this.stopExitCode, 'Error');
    sb.status.state = 'notready';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.calls.push(`removePodSandbox ${id}`);
    for (const [cid, c] of this.containers) if (c.sandboxId === id) this.containers.delete(cid);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeNotFoundError('sandbox', id);
    return structuredClone(sb.status);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()]
      .map((s) => s.status)
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && matches(s.labels, filter.labelSelector))
      .map((s) => ({ id: s.id, metadata: s.metadata, state: s.state, createdAt: s.createdAt, labels: s.labels, annotations: s.annotations }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig): Promise<string> {
    this.calls.push(`createContainer ${config.metadata.name}`);
    const failure = this.failCreate.shift();
    if (failure) throw failure;
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) throw new RuntimeNotFoundError('sandbox', podSandboxId);
    const id = `c${++this.next}`;
    this.containers.set(id, {
      sandboxId: podSandboxId,
      config,
      status: {
        id,
        metadata: config.metadata,
        state: 'created',
        createdAt: this.clock.now(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        image: config.image,
        imageRef: `sha256:${config.image}`,
        reason: '',
        message: '',
        labels: config.labels,
        annotations: config.annotations,
        mounts: config.mounts,
        logPath: `${sb.config.logDirectory}/${config.logPath}`,
      },
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.get(id);
    this.calls.push(`startContainer ${c.config.metadata.name}`);
    c.status.state = 'running';
    c.status.startedAt = this.clock.now();
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.get(id);
    this.calls.push(`stopContainer ${c.config.metadata.name} ${timeoutSeconds}`);
    if (c.status.state === 'running') this.finish(c, this.stopExitCode, 'Error');
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`removeContainer ${this.containers.get(id)?.config.metadata.name ?? id}`);
    this.containers.delete(id);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    return [...this.containers.values()]
      .filter(
        (c) =>
          (!filter.id || c.status.id === filter.id) &&
          (!filter.state || c.status.state === filter.state) &&
          (!filter.podSandboxId || c.sandboxId === filter.podSandboxId) &&
          matches(c.status.labels, filter.labelSelector),
      )
      .map((c) => ({
        id: c.status.id,
        podSandboxId: c.sandboxId,
        metadata: c.status.metadata,
        image: c.status.image,
        imageRef: c.status.imageRef,
        state: c.status.state,
        createdAt: c.status.createdAt,
        labels: c.status.labels,
        annotations: c.status.annotations,
      }));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return structuredClone(this.get(id).status);
  }

  async execSync(id: string, cmd: string[]): Promise<ExecSyncResult> {
    this.calls.push(`execSync ${this.containers.get(id)?.config.metadata.name ?? id} ${cmd.join(' ')}`);
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 };
  }
  async exec(): Promise<StreamSession> {
    throw new Error('not supported by the fake runtime');
  }
  async attach(): Promise<StreamSession> {
    throw new Error('not supported by the fake runtime');
  }
  async portForward(): Promise<Duplex> {
    throw new Error('not supported by the fake runtime');
  }
  async containerStats(id: string): Promise<ContainerStats> {
    const c = this.get(id);
    return { id, metadata: c.status.metadata, timestamp: this.clock.now(), cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 };
  }
  async listContainerStats(): Promise<ContainerStats[]> {
    return Promise.all([...this.containers.keys()].map((id) => this.containerStats(id)));
  }

  async pullImage(image: string): Promise<string> {
    this.calls.push(`pullImage ${image}`);
    const failure = this.failPull.shift();
    if (failure) throw failure;
    this.images.add(image);
    return `sha256:${image}`;
  }
  async imageStatus(image: string): Promise<Image | undefined> {
    return this.images.has(image) ? { id: `sha256:${image}`, repoTags: [image], repoDigests: [], sizeBytes: 1 } : undefined;
  }
  async listImages(): Promise<Image[]> {
    return [...this.images].map((i) => ({ id: `sha256:${i}`, repoTags: [i], repoDigests: [], sizeBytes: 1 }));
  }
  async removeImage(image: string): Promise<void> {
    this.images.delete(image);
  }
  async imageFsInfo(): Promise<FilesystemUsage[]> {
    return [];
  }
  async close(): Promise<void> {}

  /** The test makes a running container exit. */
  exit(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    this.finish(this.get(id), exitCode, reason);
  }

  /** Containers of one name (newest first). */
  byName(name: string): ContainerStatus[] {
    return [...this.containers.values()]
      .filter((c) => c.config.metadata.name === name)
      .map((c) => c.status)
      .sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
  }

  /** The running container of this name, if any. */
  running(name: string): ContainerStatus | undefined {
    return this.byName(name).find((c) => c.state === 'running');
  }

  private finish(c: FakeContainer, exitCode: number, reason: string): void {
    if (c.status.state !== 'running') return;
    c.status.state = 'exited';
    c.status.exitCode = exitCode;
    c.status.reason = reason;
    c.status.finishedAt = this.clock.now();
  }

  private get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeNotFoundError('container', id);
    return c;
  }
}

const nodes = { group: '', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', resource: 'leases' };
const pods = { group: '', resource: 'pods' };

/** An in-memory API for the kubelet: nodes, leases, pods (status patches merge shallowly). */
export class FakeKubeletApi implements KubeletApi {
  readonly nodes = new Map<string, Node>();
  readonly leases = new Map<string, Lease>();
  readonly pods = new Map<string, Pod>();
  readonly calls: string[] = [];
  /** While true every call fails as if the server were down. */
  down = false;
  private rv = 0;

  addPod(pod: Pod): void {
    this.pods.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, structuredClone(pod));
  }

  pod(namespace: string, name: string): Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  async getNode(name: string): Promise<Node> {
    this.check('getNode');
    const n = this.nodes.get(name);
    if (!n) throw newNotFound(nodes, name);
    return structuredClone(n);
  }
  async createNode(node: Node): Promise<Node> {
    this.check('createNode');
    const name = node.metadata?.name ?? '';
    if (this.nodes.has(name)) throw newAlreadyExists(nodes, name);
    return this.storeNode({ ...structuredClone(node), metadata: { ...node.metadata, uid: `node-uid-${name}` } });
  }
  async updateNode(node: Node): Promise<Node> {
    this.check('updateNode');
    const name = node.metadata?.name ?? '';
    const cur = this.nodes.get(name);
    if (!cur) throw newNotFound(nodes, name);
    if (node.metadata?.resourceVersion && node.metadata.resourceVersion !== cur.metadata?.resourceVersion) throw newConflict(nodes, name, 'changed');
    return this.storeNode({ ...structuredClone(node), status: cur.status });
  }
  async patchNodeStatus(name: string, status: Node['status']): Promise<Node> {
    this.check('patchNodeStatus');
    const cur = this.nodes.get(name);
    if (!cur) throw newNotFound(nodes, name);
    return this.storeNode({ ...cur, status: { ...cur.status, ...structuredClone(status) } });
  }
  async getLease(namespace: string, name: string): Promise<Lease> {
    this.check('getLease');
    const l = this.leases.get(`${namespace}/${name}`);
    if (!l) throw newNotFound(leases, name);
    return structuredClone(l);
  }
  async createLease(lease: Lease): Promise<Lease> {
    this.check('createLease');
    const key = `${lease.metadata?.namespace}/${lease.metadata?.name}`;
    if (this.leases.has(key)) throw newAlreadyExists(leases, lease.metadata?.name ?? '');
    return this.storeLease(key, lease);
  }
  async updateLease(lease: Lease): Promise<Lease> {
    this.check('updateLease');
    const key = `${lease.metadata?.namespace}/${lease.metadata?.name}`;
    const cur = this.leases.get(key);
    if (!cur) throw newNotFound(leases, lease.metadata?.name ?? '');
    if (lease.metadata?.resourceVersion !== cur.metadata?.resourceVersion) throw newConflict(leases, lease.metadata?.name ?? '', 'changed');
    return this.storeLease(key, lease);
  }
  async patchPodStatus(namespace: string, name: string, uid: string, status: PodStatus): Promise<Pod> {
    this.check(`patchPodStatus ${name}`);
    const cur = this.pods.get(`${namespace}/${name}`);
    if (!cur || cur.metadata?.uid !== uid) throw newNotFound(pods, name);
    const next: Pod = { ...cur, status: { ...cur.status, ...structuredClone(status) }, metadata: { ...cur.metadata, resourceVersion: String(++this.rv) } };
    this.pods.set(`${namespace}/${name}`, next);
    return structuredClone(next);
  }
  async deletePod(namespace: string, name: string, uid: string): Promise<void> {
    this.check(`deletePod ${name}`);
    const cur = this.pods.get(`${namespace}/${name}`);
    if (!cur || cur.metadata?.uid !== uid) throw newNotFound(pods, name);
    this.pods.delete(`${namespace}/${name}`);
  }

  async createPod(pod: Pod): Promise<Pod> {
    this.check(`createPod ${pod.metadata?.name}`);
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (this.pods.has(key)) throw newAlreadyExists(pods, pod.metadata?.name ?? '');
    const stored: Pod = { ...structuredClone(pod), metadata: { ...pod.metadata, uid: `mirror-uid-${++this.rv}`, resourceVersion: String(this.rv) } };
    this.pods.set(key, stored);
    return structuredClone(stored);
  }

  private check(call: string): void {
    if (this.down) throw new Error(`connect ECONNREFUSED (${call})`);
    this.calls.push(call);
  }
  private storeNode(node: Node): Node {
    node.metadata = { ...node.metadata, resourceVersion: String(++this.rv) };
    this.nodes.set(node.metadata.name ?? '', node);
    return structuredClone(node);
  }
  private storeLease(key: string, lease: Lease): Lease {
    const stored = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } };
    this.leases.set(key, stored);
    return structuredClone(stored);
  }
}

/** A pod as a test writes it: one busybox container by default, bound to node "node-a". */
export function testPod(name: string, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...meta },
    spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 1000'] }], ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}

export interface FakeKubeletParts {
  clock: FakeClock;
  runtime: FakeRuntime;
  api: FakeKubeletApi;
}

/** A Kubelet core over fakes — a FakeRuntime with busybox present, a FakeKubeletApi, a FakeClock,
 *  node IP 192.168.0.10 — with `options` over those defaults; `parts` shares fakes between two. */
export function fakeKubelet(options: Partial<KubeletCoreOptions> = {}, parts: Partial<FakeKubeletParts> = {}): FakeKubeletParts & { kubelet: Kubelet } {
  const clock = parts.clock ?? new FakeClock();
  const runtime = parts.runtime ?? new FakeRuntime(clock);
  runtime.images.add('busybox');
  const api = parts.api ?? new FakeKubeletApi();
  const kubelet = new Kubelet({
    api,
    runtime,
    helpers: basicPodHelpers(runtime),
    clock,
    logger: silentLogger,
    timings: resolveTimings(),
    nodeIP: '192.168.0.10',
    node: () => undefined,
    logRoot: '/data/pods/logs',
    runtimeName: 'fake',
    ...options,
  });
  return { clock, runtime, api, kubelet };
}
