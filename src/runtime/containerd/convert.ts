// Pure translations between Kite's runtime contract (runtime.ts, times in ms) and CRI v1 messages
// (messages.ts, times in ns): sandbox and container configs out, statuses, lists and stats in.

import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerMetadata,
  ContainerResources,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxMetadata,
  PodSandboxState,
  PodSandboxStatus,
} from '../runtime.js';
import type {
  CriAuthConfig,
  CriContainer,
  CriContainerConfig,
  CriContainerMetadata,
  CriContainerState,
  CriContainerStats,
  CriContainerStatus,
  CriFilesystemUsage,
  CriImage,
  CriLinuxResources,
  CriNamespaceOption,
  CriPodSandbox,
  CriPodSandboxConfig,
  CriPodSandboxMetadata,
  CriPodSandboxStatus,
  CriSandboxState,
} from './messages.js';

/** CFS period the CPU limit is expressed in (100 ms, as the kubelet uses). */
export const CPU_PERIOD_US = 100_000;

export const nsToMs = (ns: number): number => Math.floor(ns / 1e6);

/** A container's PID namespace is its own, or, given a target (an ephemeral container's
 *  targetContainerName), that container's: TARGET with target_id, as the kubelet sends it. */
function namespaceOptions(hostNetwork: boolean, pidTargetId?: string): CriNamespaceOption {
  const network = hostNetwork ? 'NODE' : 'POD';
  if (pidTargetId) return { network, pid: 'TARGET', ipc: 'POD', target_id: pidTargetId };
  return { network, pid: 'CONTAINER', ipc: 'POD' };
}

export function toCriSandboxConfig(config: PodSandboxConfig): CriPodSandboxConfig {
  return {
    metadata: { ...config.metadata },
    // A host-network sandbox shares the node's UTS namespace: its hostname is the node's (runc
    // refuses to set one), so none is sent, as the kubelet does.
    hostname: config.hostNetwork ? '' : config.hostname,
    log_directory: config.logDirectory,
    ...(config.dnsConfig ? { dns_config: config.dnsConfig } : {}),
    port_mappings: config.portMappings.map((p) => ({
      protocol: p.protocol,
      container_port: p.containerPort,
      host_port: p.hostPort ?? 0,
      host_ip: p.hostIp ?? '',
    })),
    labels: config.labels,
    annotations: config.annotations,
    linux: {
      cgroup_parent: config.cgroupParent ?? '',
      security_context: { namespace_options: namespaceOptions(config.hostNetwork) },
    },
  };
}

/** CPU and memory in the cgroup terms the CRI carries (shares, CFS quota, bytes). */
export function toCriResources(resources: ContainerResources | undefined): CriLinuxResources | null {
  if (!resources) return null;
  const limit = resources.cpuLimitMillis ?? 0;
  const request = resources.cpuRequestMillis ?? 0;
  return {
    cpu_period: limit > 0 ? CPU_PERIOD_US : 0,
    cpu_quota: limit > 0 ? Math.max(1000, Math.floor((limit * CPU_PERIOD_US) / 1000)) : 0,
    cpu_shares: request > 0 ? Math.max(2, Math.floor((request * 1024) / 1000)) : 0,
    memory_limit_in_bytes: resources.memoryLimitBytes ?? 0,
  };
}

export function toCriContainerConfig(config: ContainerConfig, sandbox: PodSandboxConfig): CriContainerConfig {
  return {
    metadata: { ...config.metadata },
    image: { image: config.image },
    command: config.command,
    args: config.args,
    working_dir: config.workingDir ?? '',
    envs: config.envs.map((e) => ({ key: e.key, value: Buffer.from(e.value, 'utf8') })),
    mounts: config.mounts.map((m) => ({ container_path: m.containerPath, host_path: m.hostPath, readonly: m.readonly })),
    labels: config.labels,
    annotations: config.annotations,
    log_path: config.logPath,
    stdin: config.stdin,
    stdin_once: config.stdinOnce,
    tty: config.tty,
    linux: {
      resources: toCriResources(config.resources),
      security_context: { namespace_options: namespaceOptions(sandbox.hostNetwork, config.pidNamespaceTargetId) },
    },
  };
}

const sandboxStates: Record<CriSandboxState, PodSandboxState> = { SANDBOX_READY: 'ready', SANDBOX_NOTREADY: 'notready' };
export const toCriSandboxState = (state: PodSandboxState): CriSandboxState =>
  state === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';

const containerStates: Record<CriContainerState, ContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};
export function toCriContainerState(state: ContainerState): CriContainerState {
  const found = (Object.keys(containerStates) as CriContainerState[]).find((k) => containerStates[k] === state);
  return found ?? 'CONTAINER_UNKNOWN';
}

const containerMetadata = (m: CriContainerMetadata | null): ContainerMetadata => ({ name: m?.name ?? '', attempt: m?.attempt ?? 0 });

function sandboxMetadata(m: CriPodSandboxMetadata | null): PodSandboxMetadata {
  return { name: m?.name ?? '', namespace: m?.namespace ?? '', uid: m?.uid ?? '', attempt: m?.attempt ?? 0 };
}

export function fromCriSandbox(s: CriPodSandbox): PodSandbox {
  return {
    id: s.id,
    metadata: sandboxMetadata(s.metadata),
    state: sandboxStates[s.state] ?? 'notready',
    createdAt: nsToMs(s.created_at),
    labels: s.labels,
    annotations: s.annotations,
  };
}

export function fromCriSandboxStatus(s: CriPodSandboxStatus): PodSandboxStatus {
  const ips = [s.network?.ip ?? '', ...(s.network?.additional_ips ?? []).map((p) => p.ip)].filter((ip) => ip !== '');
  return { ...fromCriSandbox(s), ips, hostNetwork: s.linux?.namespaces?.options?.network === 'NODE' };
}

export function fromCriContainer(c: CriContainer): Container {
  return {
    id: c.id,
    podSandboxId: c.pod_sandbox_id,
    metadata: containerMetadata(c.metadata),
    image: c.image?.image ?? '',
    imageRef: c.image_ref,
    state: containerStates[c.state] ?? 'unknown',
    createdAt: nsToMs(c.created_at),
    labels: c.labels,
    annotations: c.annotations,
  };
}

export function fromCriContainerStatus(s: CriContainerStatus): ContainerStatus {
  return {
    id: s.id,
    metadata: containerMetadata(s.metadata),
    state: containerStates[s.state] ?? 'unknown',
    createdAt: nsToMs(s.created_at),
    startedAt: nsToMs(s.started_at),
    finishedAt: nsToMs(s.finished_at),
    exitCode: s.exit_code,
    image: s.image?.image ?? '',
    imageRef: s.image_ref,
    reason: s.reason,
    message: s.message,
    labels: s.labels,
    annotations: s.annotations,
    mounts: s.mounts.map((m) => ({ containerPath: m.container_path, hostPath: m.host_path, readonly: m.readonly })),
    logPath: s.log_path,
  };
}

export function fromCriStats(s: CriContainerStats): ContainerStats {
  const writable = s.writable_layer?.used_bytes?.value;
  return {
    id: s.attributes?.id ?? '',
    metadata: containerMetadata(s.attributes?.metadata ?? null),
    timestamp: nsToMs(s.cpu?.timestamp || s.memory?.timestamp || 0),
    cpuUsageCoreNanoSeconds: s.cpu?.usage_core_nano_seconds?.value ?? 0,
    memoryWorkingSetBytes: s.memory?.working_set_bytes?.value ?? 0,
    ...(writable !== undefined ? { writableLayerBytes: writable } : {}),
  };
}

export function fromCriImage(i: CriImage): Image {
  return { id: i.id, repoTags: i.repo_tags, repoDigests: i.repo_digests, sizeBytes: i.size, ...(i.pinned ? { pinned: true } : {}) };
}

export function fromCriFilesystemUsage(u: CriFilesystemUsage): FilesystemUsage {
  const inodes = u.inodes_used?.value;
  return {
    timestamp: nsToMs(u.timestamp),
    mountpoint: u.fs_id?.mountpoint ?? '',
    usedBytes: u.used_bytes?.value ?? 0,
    ...(inodes !== undefined ? { inodesUsed: inodes } : {}),
  };
}

export function toCriAuth(auth: AuthConfig): CriAuthConfig {
  return {
    username: auth.username ?? '',
    password: auth.password ?? '',
    auth: auth.auth ?? '',
    server_address: auth.serverAddress ?? '',
    identity_token: auth.identityToken ?? '',
    registry_token: auth.registryToken ?? '',
  };
}
