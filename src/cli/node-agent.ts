// The worker-node half that `kite server` and `kite agent` run: a container runtime — the process
// runtime under <data-dir>/runtime (the default), or containerd over its CRI socket —, a kubelet
// for this node (running the static pods of <data-dir>/manifests or --pod-manifest-path) and its
// HTTPS API (logs, exec, port-forward, stats). Stopping it ends the
// kubelet's loops and releases the runtime (the process runtime's hold on its processes,
// containerd's gRPC channel); containers keep running.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { InvalidArgumentError } from 'commander';
import { startKubelet, type KubeletEvictionOptions, type KubeletTimings, type RunningKubelet } from '../kubelet/index.js';
import { kubeletHost } from '../kubelet/kubelet-host.js';
import { startKubeletServer, type KubeletServerTls } from '../kubelet/server/index.js';
import { realClock } from '../util/clock.js';
import { createProcessRuntime } from '../runtime/process/process-runtime.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Logger } from '../util/log.js';
import { shutdownStep } from '../util/shutdown-steps.js';
import type { ImageGcPolicy } from '../kubelet/images/gc-policy.js';

export interface NodeAgentOptions {
  kubeconfig: string;
  dataDir: string;
  nodeName?: string;
  nodeIP: string;
  nodeLabels: Record<string, string>;
  taints: Taint[];
  logger: Logger;
  timings?: Partial<KubeletTimings>;
  /** Hard eviction thresholds and the pressure transition period. */
  eviction?: KubeletEvictionOptions;
  /** The kubelet API's serving certificate and the cluster CA its clients must present certificates from. */
  serving: KubeletServerTls;
  /** The kubelet API port (0: any free one); it listens on the node IP. */
  kubeletPort: number;
  /** The container runtime (default: the process runtime). */
  runtime?: NodeRuntimeChoice;
  /** The cgroup parent of the pods' sandboxes (the kubelet's --cgroup-root; default: the runtime's). */
  cgroupRoot?: string;
  /** The kubelet's image garbage collection policy (default: the kubelet's). */
  imageGc?: ImageGcPolicy;
  /** The static pod path (default: <data-dir>/manifests, created if missing). */
  podManifestPath?: string;
}

/** Which container runtime the node's kubelet drives. */
export type NodeRuntimeChoice =
  | { kind: 'process' }
  | {
      kind: 'containerd';
      /** containerd's gRPC socket (a path or unix:// URL). */
      endpoint: string;
      /** The network namespace containerd runs in, when not the host's: its streaming server is dialled there. */
      netns?: string;
    };

export const RUNTIME_KINDS = ['process', 'containerd'] as const;

async function openRuntime(choice: NodeRuntimeChoice, options: NodeAgentOptions): Promise<ContainerRuntime> {
  if (choice.kind === 'containerd') {
    // Loaded only for containerd: the gRPC client and the CRI protos cost the process runtime ~25 MB.
    const { connectContainerdRuntime, netnsDialer } = await import('../runtime/containerd/index.js');
    return connectContainerdRuntime({
      endpoint: choice.endpoint,
      nodeIPs: [options.nodeIP],
      ...(choice.netns ? { streamDialer: netnsDialer(choice.netns) } : {}),
    });
  }
  return createProcessRuntime({
    rootDir: join(options.dataDir, 'runtime'),
    nodeIp: options.nodeIP,
    logger: options.logger.child('runtime'),
    ...(options.cgroupRoot ? { cgroupParent: options.cgroupRoot.replace(/^\/+/, '') } : {}),
  });
}

export interface NodeAgent {
  kubelet: RunningKubelet;
  /** The kubelet API's port. */
  kubeletPort: number;
  /** Serves a rotated certificate on the kubelet API. */
  setServingCertificate(certPem: string, keyPem: string): void;
  stop(): Promise<void>;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** "key=value:Effect,key:Effect" → taints (the kubelet's --register-with-taints syntax). */
export function parseTaints(text: string): Taint[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const colon = spec.lastIndexOf(':');
      const effect = colon >= 0 ? spec.slice(colon + 1) : '';
      if (!EFFECTS.has(effect)) throw new InvalidArgumentError(`invalid taint "${spec}": the effect must be NoSchedule, PreferNoSchedule or NoExecute`);
      const kv = spec.slice(0, colon);
      const eq = kv.indexOf('=');
      const key = eq >= 0 ? kv.slice(0, eq) : kv;
      if (!key) throw new InvalidArgumentError(`invalid taint "${spec}": a key is required`);
      return { key, ...(eq >= 0 ? { value: kv.slice(eq + 1) } : {}), effect: effect as Taint['effect'] };
    });
}

/** The host name made a DNS subdomain (a node name): other characters become "-". */
export const defaultNodeName = (): string => hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-');

export async function startNodeAgent(options: NodeAgentOptions): Promise<NodeAgent> {
  const nodeName = options.nodeName ?? defaultNodeName();
  const runtime = await openRuntime(options.runtime ?? { kind: 'process' }, options);
  // the kubelet API first: the Node reports its port; it asks the kubelet for pods once one runs
  let running: RunningKubelet | undefined;
  const host = kubeletHost({ nodeName, runtime, pods: () => running?.kubelet.listPods() ?? [], clock: realClock });
  const server = await startKubeletServer({ host, tls: options.serving, address: options.nodeIP, port: options.kubeletPort, logger: options.logger.child('server') });
  const staticPodPath = options.podManifestPath ?? join(options.dataDir, 'manifests');
  if (!options.podManifestPath) mkdirSync(staticPodPath, { recursive: true });
  const kubelet = await startKubelet({
    staticPodPath,
    kubeletPort: server.port,
    kubeconfig: options.kubeconfig,
    nodeName,
    nodeIP: options.nodeIP,
    dataDir: options.dataDir,
    runtime,
    logger: options.logger,
    nodeLabels: options.nodeLabels,
    registerWithTaints: options.taints,
    localPathProvisioner: true,
    ...(options.cgroupRoot ? { cgroupParent: options.cgroupRoot } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.imageGc ? { imageGc: { policy: options.imageGc } } : {}),
    ...(options.eviction ? { eviction: options.eviction } : {}),
  });
  running = kubelet;
  return {
    kubelet,
    kubeletPort: server.port,
    setServingCertificate: (certPem, keyPem) => server.setServingCertificate(certPem, keyPem),
    async stop() {
      await shutdownStep('kubelet API server', server.close());
      await shutdownStep('kubelet', kubelet.stop());
      await shutdownStep('container runtime', runtime.close());
    },
  };
}
