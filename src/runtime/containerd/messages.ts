// The runtime.v1 message shapes Kite sends and reads, as proto-loader decodes them (proto field
// names, enums as names, int64 as number, absent messages as null). Only the fields Kite uses.

export type Labels = Record<string, string>;

export interface CriPodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface CriNamespaceOption {
  network: NamespaceMode;
  pid: NamespaceMode;
  ipc: NamespaceMode;
  /** The container whose namespace a TARGET mode joins. */
  target_id?: string;
}

export interface CriPodSandboxConfig {
  metadata: CriPodSandboxMetadata;
  hostname: string;
  log_directory: string;
  dns_config?: { servers: string[]; searches: string[]; options: string[] };
  port_mappings: { protocol: 'TCP' | 'UDP' | 'SCTP'; container_port: number; host_port: number; host_ip: string }[];
  labels: Labels;
  annotations: Labels;
  linux: { cgroup_parent: string; security_context: { namespace_options: CriNamespaceOption } };
}

export type CriSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface CriPodSandboxStatus {
  id: string;
  metadata: CriPodSandboxMetadata | null;
  state: CriSandboxState;
  created_at: number;
  network: { ip: string; additional_ips: { ip: string }[] } | null;
  linux: { namespaces: { options: CriNamespaceOption | null } | null } | null;
  labels: Labels;
  annotations: Labels;
}

export interface CriPodSandbox {
  id: string;
  metadata: CriPodSandboxMetadata | null;
  state: CriSandboxState;
  created_at: number;
  labels: Labels;
  annotations: Labels;
}

export interface CriContainerMetadata {
  name: string;
  attempt: number;
}

export interface CriMount {
  container_path: string;
  host_path: string;
  readonly: boolean;
}

export interface CriLinuxResources {
  cpu_period: number;
  cpu_quota: number;
  cpu_shares: number;
  memory_limit_in_bytes: number;
}

export interface CriContainerConfig {
  metadata: CriContainerMetadata;
  image: { image: string };
  command: string[];
  args: string[];
  working_dir: string;
  /** KeyValue.value is `bytes` in current cri-api (wire-compatible with the older `string`). */
  envs: { key: string; value: Buffer }[];
  mounts: CriMount[];
  labels: Labels;
  annotations: Labels;
  log_path: string;
  stdin: boolean;
  stdin_once: boolean;
  tty: boolean;
  linux: { resources: CriLinuxResources | null; security_context: { namespace_options: CriNamespaceOption } };
}

export type CriContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface CriContainer {
  id: string;
  pod_sandbox_id: string;
  metadata: CriContainerMetadata | null;
  image: { image: string } | null;
  image_ref: string;
  state: CriContainerState;
  created_at: number;
  labels: Labels;
  annotations: Labels;
}

export interface CriContainerStatus {
  id: string;
  metadata: CriContainerMetadata | null;
  state: CriContainerState;
  created_at: number;
  started_at: number;
  finished_at: number;
  exit_code: number;
  image: { image: string } | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  mounts: CriMount[];
  log_path: string;
}

export interface CriUInt64Value {
  value: number;
}

export interface CriFilesystemUsage {
  timestamp: number;
  fs_id: { mountpoint: string } | null;
  used_bytes: CriUInt64Value | null;
  inodes_used: CriUInt64Value | null;
}

export interface CriContainerStats {
  attributes: { id: string; metadata: CriContainerMetadata | null } | null;
  cpu: { timestamp: number; usage_core_nano_seconds: CriUInt64Value | null } | null;
  memory: { timestamp: number; working_set_bytes: CriUInt64Value | null } | null;
  writable_layer: CriFilesystemUsage | null;
}

export interface CriImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  pinned: boolean;
}

export interface CriAuthConfig {
  username: string;
  password: string;
  auth: string;
  server_address: string;
  identity_token: string;
  registry_token: string;
}
