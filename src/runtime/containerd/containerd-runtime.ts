// Kite's ContainerRuntime over the real CRI v1 gRPC API (runtime.v1.RuntimeService and
// ImageService), as containerd's CRI plugin serves it on its unix socket. Each contract method is
// one CRI call, translated by convert.ts; exec, attach and port-forward follow the streaming URL
// the CRI returns over WebSocket (streaming.ts).

import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { realClock, type Clock } from '../../util/clock.js';
import { isRuntimeNotFound } from '../errors.js';
import type {
  AuthConfig,
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
  StreamOptions,
  StreamSession,
  VersionInfo,
} from '../runtime.js';
import {
  fromCriContainer,
  fromCriContainerStatus,
  fromCriFilesystemUsage,
  fromCriImage,
  fromCriSandbox,
  fromCriSandboxStatus,
  fromCriStats,
  toCriAuth,
  toCriContainerConfig,
  toCriContainerState,
  toCriSandboxConfig,
  toCriSandboxState,
} from './convert.js';
import { CriCallError, CriClient } from './cri-client.js';
import type { CriContainer, CriContainerStats, CriContainerStatus, CriFilesystemUsage, CriImage, CriPodSandbox, CriPodSandboxStatus } from './messages.js';
import { openPortForward, openStreamSession, tcpDialer, type StreamDialer } from './streaming.js';
import { SandboxImagePin } from './sandbox-image.js';
import { DEFAULT_CONTAINERD_ENDPOINT } from './endpoint.js';


export interface ContainerdRuntimeOptions {
  /** containerd's gRPC socket (a path or unix:// URL); default /run/containerd/containerd.sock. */
  endpoint?: string;
  /** Clock for call deadlines (default: the system clock). */
  clock?: Clock;
  /** Deadline of each CRI call, as the kubelet's --runtime-request-timeout (default 2 min). */
  requestTimeoutMs?: number;
  /** Deadline of an image pull (default 10 min). */
  pullTimeoutMs?: number;
  /** Opens connections to the streaming server's URLs (default: plain TCP). */
  streamDialer?: StreamDialer;
  /** The CRI runtime handler (RuntimeClass handler) for new sandboxes; default "" (containerd's default runtime). */
  runtimeHandler?: string;
  /** The node's IPs: a host-network sandbox's IPs (containerd reports none for those). */
  nodeIPs?: string[];
}

/** Extra grace for ExecSync's gRPC deadline beyond the command's own timeout. */
const EXEC_SYNC_GRACE_MS = 5_000;

export class ContainerdRuntime implements ContainerRuntime {
  private readonly client: CriClient;
  private readonly dial: StreamDialer;
  private readonly pullTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly runtimeHandler: string;
  private readonly nodeIPs: string[];
  private readonly sandboxImage: SandboxImagePin;

  constructor(options: ContainerdRuntimeOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
    this.client = new CriClient(options.endpoint ?? DEFAULT_CONTAINERD_ENDPOINT, options.clock ?? realClock, this.requestTimeoutMs);
    this.dial = options.streamDialer ?? tcpDialer;
    this.pullTimeoutMs = options.pullTimeoutMs ?? 600_000;
    this.runtimeHandler = options.runtimeHandler ?? '';
    this.nodeIPs = options.nodeIPs ?? [];
    this.sandboxImage = new SandboxImagePin({
      statusInfo: async () => (await this.client.runtime<{ info: Record<string, string> }>('Status', { verbose: true })).info,
      imageId: async (name) => (await this.imageStatusUnpinned(name))?.id,
    });
  }

  async version(): Promise<VersionInfo> {
    const r = await this.client.runtime<{ runtime_name: string; runtime_version: string; runtime_api_version: string }>('Version', { version: 'v1' });
    return { runtimeName: r.runtime_name, runtimeVersion: r.runtime_version, runtimeApiVersion: r.runtime_api_version };
  }

  // --- sandboxes ---

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const r = await this.client.runtime<{ pod_sandbox_id: string }>('RunPodSandbox', {
      config: toCriSandboxConfig(config),
      runtime_handler: this.runtimeHandler,
    });
    return r.pod_sandbox_id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    await ignoreNotFound(this.client.runtime('StopPodSandbox', { pod_sandbox_id: id }, { what: 'sandbox', id }));
  }

  async removePodSandbox(id: string): Promise<void> {
    await ignoreNotFound(this.client.runtime('RemovePodSandbox', { pod_sandbox_id: id }, { what: 'sandbox', id }));
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const r = await this.client.runtime<{ status: CriPodSandboxStatus | null }>('PodSandboxStatus', { pod_sandbox_id: id, verbose: false }, { what: 'sandbox', id });
    if (!r.status) throw new CriCallError('PodSandboxStatus', grpc.status.INTERNAL, `no status for sandbox ${id}`);
    const status = fromCriSandboxStatus(r.status);
    return status.hostNetwork && status.ips.length === 0 ? { ...status, ips: [...this.nodeIPs] } : status;
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.client.runtime<{ items: CriPodSandbox[] }>('ListPodSandbox', {
      filter: filter
        ? {
            id: filter.id ?? '',
            ...(filter.state ? { state: { state: toCriSandboxState(filter.state) } } : {}),
            label_selector: filter.labelSelector ?? {},
          }
        : null,
    });
    return r.items.map(fromCriSandbox);
  }

  // --- containers ---

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.client.runtime<{ container_id: string }>(
      'CreateContainer',
      { pod_sandbox_id: podSandboxId, config: toCriContainerConfig(config, sandboxConfig), sandbox_config: toCriSandboxConfig(sandboxConfig) },
      { what: 'sandbox', id: podSandboxId, image: config.image },
    );
    return r.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.client.runtime('StartContainer', { container_id: id }, { what: 'container', id });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.client.runtime(
      'StopContainer',
      { container_id: id, timeout: timeoutSeconds },
      { what: 'container', id },
      // the call lasts as long as the grace period, plus the usual bound
      this.requestTimeoutMs + Math.max(0, timeoutSeconds) * 1000,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await ignoreNotFound(this.client.runtime('RemoveContainer', { container_id: id }, { what: 'container', id }));
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.client.runtime<{ containers: CriContainer[] }>('ListContainers', {
      filter: filter
        ? {
            id: filter.id ?? '',
            ...(filter.state ? { state: { state: toCriContainerState(filter.state) } } : {}),
            pod_sandbox_id: filter.podSandboxId ?? '',
            label_selector: filter.labelSelector ?? {},
          }
        : null,
    });
    return r.containers.map(fromCriContainer);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const r = await this.client.runtime<{ status: CriContainerStatus | null }>('ContainerStatus', { container_id: id, verbose: false }, { what: 'container', id });
    if (!r.status) throw new CriCallError('ContainerStatus', grpc.status.INTERNAL, `no status for container ${id}`);
    return fromCriContainerStatus(r.status);
  }

  // --- exec, attach, port-forward ---

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    const seconds = timeoutMs > 0 ? Math.max(1, Math.ceil(timeoutMs / 1000)) : 0;
    const r = await this.client.runtime<{ stdout: Buffer; stderr: Buffer; exit_code: number }>(
      'ExecSync',
      { container_id: id, cmd, timeout: seconds },
      { what: 'container', id },
      timeoutMs > 0 ? timeoutMs + EXEC_SYNC_GRACE_MS : undefined,
    );
    return { stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr), exitCode: r.exit_code };
  }

  async exec(id: string, cmd: string[], options: StreamOptions): Promise<StreamSession> {
    const r = await this.client.runtime<{ url: string }>(
      'Exec',
      { container_id: id, cmd, tty: options.tty, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !options.tty },
      { what: 'container', id },
    );
    return openStreamSession(r.url, options, this.dial);
  }

  async attach(id: string, options: StreamOptions): Promise<StreamSession> {
    const r = await this.client.runtime<{ url: string }>(
      'Attach',
      { container_id: id, tty: options.tty, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr && !options.tty },
      { what: 'container', id },
    );
    return openStreamSession(r.url, options, this.dial);
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const r = await this.client.runtime<{ url: string }>('PortForward', { pod_sandbox_id: podSandboxId, port: [port] }, { what: 'sandbox', id: podSandboxId });
    return openPortForward(r.url, port, this.dial);
  }

  // --- stats ---

  async containerStats(id: string): Promise<ContainerStats> {
    const r = await this.client.runtime<{ stats: CriContainerStats | null }>('ContainerStats', { container_id: id }, { what: 'container', id });
    if (!r.stats) throw new CriCallError('ContainerStats', grpc.status.INTERNAL, `no stats for container ${id}`);
    return fromCriStats(r.stats);
  }

  async listContainerStats(filter?: ContainerFilter): Promise<ContainerStats[]> {
    const r = await this.client.runtime<{ stats: CriContainerStats[] }>('ListContainerStats', {
      filter: filter ? { id: filter.id ?? '', pod_sandbox_id: filter.podSandboxId ?? '', label_selector: filter.labelSelector ?? {} } : null,
    });
    let stats = r.stats.map(fromCriStats);
    // The CRI stats filter has no state; honour the contract's by asking for the matching ids.
    if (filter?.state) {
      const ids = new Set((await this.listContainers({ state: filter.state })).map((c) => c.id));
      stats = stats.filter((s) => ids.has(s.id));
    }
    return stats;
  }

  // --- images ---

  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const r = await this.client.image<{ image_ref: string }>(
      'PullImage',
      {
        image: { image },
        auth: auth ? toCriAuth(auth) : null,
        sandbox_config: sandboxConfig ? toCriSandboxConfig(sandboxConfig) : null,
      },
      undefined,
      this.pullTimeoutMs,
    );
    return r.image_ref;
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const found = await this.imageStatusUnpinned(image);
    return found ? (await this.sandboxImage.mark([found], false))[0] : undefined;
  }

  private async imageStatusUnpinned(image: string): Promise<Image | undefined> {
    try {
      const r = await this.client.image<{ image: CriImage | null }>('ImageStatus', { image: { image }, verbose: false }, { what: 'image', id: image });
      return r.image ? fromCriImage(r.image) : undefined;
    } catch (err) {
      if (isRuntimeNotFound(err)) return undefined;
      throw err;
    }
  }

  async listImages(): Promise<Image[]> {
    const r = await this.client.image<{ images: CriImage[] }>('ListImages', { filter: null });
    return this.sandboxImage.mark(r.images.map(fromCriImage));
  }

  async removeImage(image: string): Promise<void> {
    await ignoreNotFound(this.client.image('RemoveImage', { image: { image } }, { what: 'image', id: image }));
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const r = await this.client.image<{ image_filesystems: CriFilesystemUsage[] }>('ImageFsInfo', {});
    return r.image_filesystems.map(fromCriFilesystemUsage);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isRuntimeNotFound(err)) throw err;
  }
}

/** The containerd runtime the kubelet is given (`--container-runtime=containerd`); connects lazily. */
export function createContainerdRuntime(options: ContainerdRuntimeOptions = {}): ContainerRuntime {
  return new ContainerdRuntime(options);
}

/** Creates the runtime and checks that the endpoint serves CRI runtime.v1 (one Version call). */
export async function connectContainerdRuntime(options: ContainerdRuntimeOptions = {}): Promise<ContainerRuntime> {
  const runtime = new ContainerdRuntime(options);
  const endpoint = options.endpoint ?? DEFAULT_CONTAINERD_ENDPOINT;
  try {
    const version = await runtime.version();
    if (version.runtimeApiVersion !== 'v1') {
      throw new Error(`${version.runtimeName} ${version.runtimeVersion} speaks CRI ${version.runtimeApiVersion}, not v1`);
    }
    return runtime;
  } catch (err) {
    await runtime.close();
    throw new Error(`no CRI v1 runtime at ${endpoint}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
