// The container runtime contract the kubelet drives, shaped like the CRI v1 API (runtime.v1
// RuntimeService and ImageService): pod sandboxes, containers, images, exec/attach, logs and stats.
// Two implementations: `process` (containers are host process groups) and `containerd` (the real
// CRI over gRPC). Times are milliseconds since the epoch (the CRI's nanoseconds, scaled); ids are
// opaque strings the runtime chooses.

import type { Duplex, Readable, Writable } from 'node:stream';

export interface KeyValue {
  key: string;
  value: string;
}

/** Identifies a sandbox to the runtime (CRI PodSandboxMetadata). */
export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname: string;
  /** Directory for this pod's container logs (/var/log/pods/<ns>_<name>_<uid> in the kubelet's layout). */
  logDirectory: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Share the node's network namespace (pod.spec.hostNetwork). */
  hostNetwork: boolean;
  /** The cgroup parent for the pod's containers, when the runtime enforces resources. */
  cgroupParent?: string;
}

export type PodSandboxState = 'ready' | 'notready';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  /** The pod's IPs (first is primary); for a host-network sandbox the node's IP. */
  ips: string[];
  hostNetwork: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

export interface ContainerResources {
  /** CPU limit in millicores (0/undefined: none). */
  cpuLimitMillis?: number;
  /** CPU request in millicores (cgroup shares/weight). */
  cpuRequestMillis?: number;
  /** Memory limit in bytes (0/undefined: none); exceeding it ends the container OOMKilled. */
  memoryLimitBytes?: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image as the pod spec names it. */
  image: string;
  /** Entrypoint (pod spec `command`, after $(VAR) expansion); empty: the image's. */
  command: string[];
  /** Arguments (pod spec `args`, after expansion); empty: the image's. */
  args: string[];
  workingDir?: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Log file path relative to the sandbox's logDirectory (<container>/<attempt>.log). */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  resources?: ContainerResources;
  /** Join the PID namespace of this container (CRI NamespaceMode TARGET with target_id), so that
   *  an ephemeral container sees its targetContainerName's processes. Unset: its own. */
  pidNamespaceTargetId?: string;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  /** 0 until started. */
  startedAt: number;
  /** 0 until exited. */
  finishedAt: number;
  exitCode: number;
  /** The image as configured, and the resolved image reference (digest or id). */
  image: string;
  imageRef: string;
  /** Why it exited: "Completed", "Error", "OOMKilled", …; empty while running. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** Absolute path of the container's log file. */
  logPath: string;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: string;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A running exec or attach session: the caller pipes its streams and learns the exit code. */
export interface StreamSession {
  stdin?: Writable;
  stdout?: Readable;
  /** Absent when tty (stderr is merged into stdout). */
  stderr?: Readable;
  /** Changes the terminal size (tty only). */
  resize(width: number, height: number): void;
  /** Resolves with the process's exit code when it ends. */
  exit: Promise<number>;
  /** Ends the session (kills an exec'd process). */
  close(): void;
}

export interface ContainerStats {
  id: string;
  metadata: ContainerMetadata;
  timestamp: number;
  /** Cumulative CPU time used, in nanoseconds, and the current rate in nanocores when known. */
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  /** Bytes the container's writable layer / log uses, when known. */
  writableLayerBytes?: number;
}

export interface VersionInfo {
  /** e.g. "kite-process", "containerd". */
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
  /** Whether the runtime enforces CPU and memory limits (the process runtime does only with cgroups). */
  limitsEnforced?: boolean;
}

/** The CRI RuntimeService. */
export interface RuntimeService {
  version(): Promise<VersionInfo>;

  /** Creates and starts a sandbox (network, shared namespaces); returns its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container in it and tears its network down; idempotent. */
  stopPodSandbox(id: string): Promise<void>;
  /** Removes a stopped sandbox and its containers; idempotent. */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSeconds (0: at once); resolves once it has exited. Idempotent. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(id: string): Promise<ContainerStatus>;

  /** Runs cmd in the container and waits (probes, hooks); a timeout kills it and rejects. */
  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult>;
  /** Starts cmd in the container with streams attached (kubectl exec). */
  exec(id: string, cmd: string[], options: StreamOptions): Promise<StreamSession>;
  /** Attaches to the container's main process (kubectl attach). */
  attach(id: string, options: StreamOptions): Promise<StreamSession>;
  /** A byte stream to `port` inside the sandbox's network (kubectl port-forward). */
  portForward(podSandboxId: string, port: number): Promise<Duplex>;

  containerStats(id: string): Promise<ContainerStats>;
  listContainerStats(filter?: ContainerFilter): Promise<ContainerStats[]>;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface Image {
  /** The image id (digest of its config). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  /** The runtime keeps it whatever the kubelet's image GC thinks (CRI `pinned`: the sandbox image). */
  pinned?: boolean;
}

export interface FilesystemUsage {
  timestamp: number;
  mountpoint: string;
  usedBytes: number;
  inodesUsed?: number;
}

/** The CRI ImageService. */
export interface ImageService {
  /** Pulls (or, for the process runtime, records) the image; returns its image reference. */
  pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  /** The image, or undefined when it is not present. */
  imageStatus(image: string): Promise<Image | undefined>;
  listImages(): Promise<Image[]>;
  /** Removes the image; idempotent. */
  removeImage(image: string): Promise<void>;
  imageFsInfo(): Promise<FilesystemUsage[]>;
}

/** What the kubelet is given: both services, and a close for the connection or child processes. */
export interface ContainerRuntime extends RuntimeService, ImageService {
  close(): Promise<void>;
}
