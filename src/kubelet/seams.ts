// The narrow seams through which the pod worker uses the pod-level helpers built beside it
// (src/kubelet/env, volumes, prober): container environment and command expansion, volume
// mounts, probe results and lifecycle hooks. `basicPodHelpers` is the minimal stand-in used until
// those land: literal env values, no volumes, no probes, exec hooks through the runtime.

import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime, KeyValue, Mount } from '../runtime/runtime.js';

/** An error the kubelet reports as a container's waiting reason (e.g. CreateContainerConfigError). */
export class ContainerReasonError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerReasonError';
  }
}

/** The reason carried by an error from a helper, if it has one. */
export function reasonOf(err: unknown): string | undefined {
  const r = (err as { reason?: unknown } | undefined)?.reason;
  return typeof r === 'string' && r !== '' ? r : undefined;
}

export interface ContainerRunConfig {
  envs: KeyValue[];
  command: string[];
  args: string[];
}

/** The newest instance of a container, for the prober. */
export interface ContainerRunState {
  name: string;
  containerId: string;
  running: boolean;
  /** When it started (ms since the epoch; 0 if it has not). */
  startedAt: number;
}

export interface PodAddressesInput {
  podIPs: string[];
  hostIPs: string[];
}

export interface PodHelpers {
  /** Env, command and args after $(VAR) expansion; throws a reason error (CreateContainerConfigError). */
  containerConfig(pod: Pod, container: Container, addresses: PodAddressesInput): Promise<ContainerRunConfig>;
  /** Sets up the pod's volumes; volume name → host directory. Idempotent. */
  mountPod(pod: Pod): Promise<Map<string, string>>;
  /** The container's mounts (env for subPathExpr). */
  containerMounts(pod: Pod, container: Container, mounted: Map<string, string>, env: readonly KeyValue[]): Mount[];
  unmountPod(uid: string): Promise<void>;
  /** Probe-based readiness and startup; undefined: decide from the container state alone (no prober). */
  isReady(podUid: string, containerName: string, containerId: string): boolean | undefined;
  isStarted(podUid: string, containerName: string, containerId: string): boolean | undefined;
  /** Liveness (or startup) failed: the container is to be killed and restarted per policy. */
  livenessFailed(podUid: string, containerName: string): boolean;
  /** Tells the prober the state of the pod's containers (called after every sync; idempotent). */
  syncProbes(pod: Pod, containers: readonly ContainerRunState[], podIP: string): void;
  removeProbes(podUid: string): void;
  /** postStart / preStop handlers; reject when the handler fails. */
  runPostStart(pod: Pod, container: Container, containerId: string): Promise<void>;
  runPreStop(pod: Pod, container: Container, containerId: string, timeoutMs: number): Promise<void>;
}

/** The stand-in helpers: literal env values only, no volumes, no probes, exec hooks only. */
export function basicPodHelpers(runtime: ContainerRuntime): PodHelpers {
  const execHook = async (containerId: string, command: readonly string[] | undefined, timeoutMs: number) => {
    if (!command || command.length === 0) return;
    const r = await runtime.execSync(containerId, [...command], timeoutMs);
    if (r.exitCode !== 0) throw new Error(`command '${command.join(' ')}' exited with ${r.exitCode}: ${r.stderr.toString()}`);
  };
  return {
    async containerConfig(_pod, container) {
      const envs: KeyValue[] = [];
      for (const e of container.env ?? []) {
        if (e.valueFrom) throw new ContainerReasonError('CreateContainerConfigError', `env ${e.name}: valueFrom is not supported yet`);
        envs.push({ key: e.name, value: e.value ?? '' });
      }
      return { envs, command: [...(container.command ?? [])], args: [...(container.args ?? [])] };
    },
    mountPod: async () => new Map(),
    containerMounts: () => [],
    unmountPod: async () => {},
    isReady: () => undefined,
    isStarted: () => undefined,
    livenessFailed: () => false,
    syncProbes: () => {},
    removeProbes: () => {},
    runPostStart: (_pod, container, id) => execHook(id, container.lifecycle?.postStart?.exec?.command, 30_000),
    runPreStop: (_pod, container, id, timeoutMs) => execHook(id, container.lifecycle?.preStop?.exec?.command, timeoutMs),
  };
}
