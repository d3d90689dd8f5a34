// The worker-node half that `kite server` (and later `kite agent`) runs: a container runtime — the
// process runtime under <data-dir>/runtime (the default), or containerd over its CRI socket — and
// a kubelet for this node. Stopping it ends the kubelet's loops and releases the runtime (the
// process runtime's hold on its processes, containerd's gRPC channel); containers keep running.

import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { InvalidArgumentError } from 'commander';
import { startKubelet, type KubeletTimings, type RunningKubelet } from '../kubelet/index.js';
import { connectContainerdRuntime, netnsDialer } from '../runtime/containerd/index.js';
import { createProcessRuntime } from '../runtime/process/process-runtime.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Logger } from '../util/log.js';

export interface NodeAgentOptions {
  kubeconfig: string;
  dataDir: string;
  nodeName?: string;
  nodeIP: string;
  nodeLabels: Record<string, string>;
  taints: Taint[];
  logger: Logger;
  timings?: Partial<KubeletTimings>;
  /** The container runtime (default: the process runtime). */
  runtime?: NodeRuntimeChoice;
  /** The cgroup parent of the pods' sandboxes (the kubelet's --cgroup-root; default: the runtime's). */
  cgroupRoot?: string;
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

export async function startNodeAgent(options: NodeAgentOptions): Promise<NodeAgent> {
  // a node name is a DNS subdomain: host names with other characters are made to fit
  const nodeName = options.nodeName ?? hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  const runtime = await openRuntime(options.runtime ?? { kind: 'process' }, options);
  const kubelet = await startKubelet({
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
  });
  return {
    kubelet,
    async stop() {
      await kubelet.stop();
      await runtime.close();
    },
  };
}
