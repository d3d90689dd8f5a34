// The pod helpers over the per-pod modules (env/, volumes/, prober/, lifecycle/): container
// environment from ConfigMaps, Secrets, the downward API and service variables with $(VAR)
// expansion; the VolumeManager's volumes and mounts; a ProbeManager told the containers' states
// after every sync, whose result changes trigger a sync; postStart/preStop hooks with the kubelet's
// messages.

import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import { expandContainerCommand, resolveContainerEnv, type ResourceList } from './env/index.js';
import { runLifecycleHandler } from './lifecycle/index.js';
import type { ClusterLookup } from './lookup/lookup.js';
import { ProbeManager } from './prober/index.js';
import { ContainerReasonError, type PodHelpers } from './seams.js';
import { VolumeManager } from './volumes/index.js';

export interface ClusterPodHelpersOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  lookup: ClusterLookup;
  /** The kubelet's data directory (pod volumes under <dataDir>/pods/<uid>/volumes). */
  dataDir: string;
  nodeIP: string;
  /** The services the kubelet knows (for service environment variables). */
  services: () => readonly Service[];
  nodeAllocatable: () => ResourceList;
  /** A probe result changed: the pod should be synced. */
  onProbeResult: (podUid: string) => void;
  recordEvent?: (pod: Pod, type: string, reason: string, message: string) => void;
}

export interface ClusterPodHelpers extends PodHelpers {
  /** Stops every probe worker. */
  stop(): void;
}

export function clusterPodHelpers(o: ClusterPodHelpersOptions): ClusterPodHelpers {
  const probes = new ProbeManager({
    clock: o.clock,
    runtime: o.runtime,
    onResult: (uid) => o.onProbeResult(uid),
    recordEvent: (pod, _container, reason, message) => o.recordEvent?.(pod, 'Warning', reason, message),
  });
  const volumes = new VolumeManager({
    dataDir: o.dataDir,
    lookup: o.lookup,
    clock: o.clock,
    nodeAllocatable: o.nodeAllocatable,
    onWarning: (pod, message) => o.recordEvent?.(pod, 'Warning', 'FailedMount', message),
  });
  const hook = async (pod: Pod, name: string, containerId: string, which: 'postStart' | 'preStop', timeoutMs: number) => {
    const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
    const handler = container?.lifecycle?.[which];
    if (!container || !handler) return;
    const podIP = pod.status?.podIP ?? o.nodeIP;
    const result = await runLifecycleHandler(handler, { pod, container, containerId, podIP, runtime: o.runtime }, { hook: which, clock: o.clock, timeoutMs });
    if (!result.ok) throw new ContainerReasonError(result.reason, result.message);
  };
  return {
    async containerConfig(pod, container, addresses) {
      const envs = await resolveContainerEnv(pod, container, {
        getConfigMap: (ns, name) => o.lookup.getConfigMap(ns, name),
        getSecret: (ns, name) => o.lookup.getSecret(ns, name),
        podIPs: addresses.podIPs,
        hostIPs: addresses.hostIPs,
        nodeAllocatable: o.nodeAllocatable,
        services: o.services(),
        recordWarning: (reason, message) => o.recordEvent?.(pod, 'Warning', reason, message),
      });
      const { command, args } = expandContainerCommand(container.command, container.args, envs);
      return { envs, command, args };
    },
    mountPod: (pod) => volumes.mountPod(pod),
    containerMounts: (pod, container, mounted, env) => volumes.containerMounts(pod, container, mounted, env),
    unmountPod: (uid) => volumes.unmountPod(uid),
    isReady: (uid, name, id) => probes.isReady(uid, name, id),
    isStarted: (uid, name, id) => probes.isStarted(uid, name, id),
    livenessFailed: (uid, name) => probes.livenessFailed(uid, name),
    syncProbes: (pod, containers, podIP) =>
      probes.syncPod(pod, podIP, containers.map((c) => (c.startedAt > 0 ? c : { name: c.name, containerId: c.containerId, running: c.running }))),
    removeProbes: (uid) => probes.removePod(uid),
    runPostStart: (pod, container, id) => hook(pod, container.name, id, 'postStart', 0),
    runPreStop: (pod, container, id, timeoutMs) => hook(pod, container.name, id, 'preStop', timeoutMs),
    stop: () => probes.stop(),
  };
}
