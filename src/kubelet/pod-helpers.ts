// The pod helpers over the per-pod modules (env/, prober/, lifecycle/): container environment
// from ConfigMaps, Secrets, the downward API and service variables with $(VAR) expansion; a
// ProbeManager told which containers run after every sync, whose result changes trigger a sync;
// postStart/preStop hooks with the kubelet's messages. Volumes stay with the stand-in (none) until
// the volume manager lands.

import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import { expandContainerCommand, resolveContainerEnv, type ResourceList } from './env/index.js';
import { runLifecycleHandler } from './lifecycle/index.js';
import type { ClusterLookup } from './lookup/lookup.js';
import { ProbeManager } from './prober/index.js';
import { ContainerReasonError, basicPodHelpers, type PodHelpers, type RunningContainer } from './seams.js';

export interface ClusterPodHelpersOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  lookup: ClusterLookup;
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
  const basic = basicPodHelpers(o.runtime);
  const probes = new ProbeManager({
    clock: o.clock,
    runtime: o.runtime,
    onResult: (uid) => o.onProbeResult(uid),
    recordEvent: (pod, _container, reason, message) => o.recordEvent?.(pod, 'Warning', reason, message),
  });
  /** Per pod: container name → the container id the prober was told about. */
  const told = new Map<string, Map<string, string>>();
  const hook = async (pod: Pod, name: string, containerId: string, which: 'postStart' | 'preStop', timeoutMs: number) => {
    const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
    const handler = container?.lifecycle?.[which];
    if (!container || !handler) return;
    const podIP = pod.status?.podIP ?? '';
    const result = await runLifecycleHandler(handler, { pod, container, containerId, podIP, runtime: o.runtime }, { hook: which, clock: o.clock, timeoutMs });
    if (!result.ok) throw new ContainerReasonError(result.reason, result.message);
  };
  return {
    ...basic,
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
    isReady: (uid, name) => probes.isReady(uid, name),
    isStarted: (uid, name) => probes.isStarted(uid, name),
    livenessFailed: (uid, name) => probes.livenessFailed(uid, name),
    syncProbes(pod: Pod, running: readonly RunningContainer[], podIP: string) {
      const uid = pod.metadata?.uid ?? '';
      probes.addPod(pod);
      const known = told.get(uid) ?? new Map<string, string>();
      told.set(uid, known);
      const now = new Map(running.map((r) => [r.name, r.containerId]));
      for (const [name, id] of known) {
        if (now.get(name) !== id) {
          probes.containerStopped(uid, name);
          known.delete(name);
        }
      }
      for (const [name, id] of now) {
        if (known.get(name) === id) continue;
        probes.containerStarted(uid, name, { containerId: id, podIP });
        known.set(name, id);
      }
    },
    removeProbes(uid) {
      probes.removePod(uid);
      told.delete(uid);
    },
    runPostStart: (pod, container, id) => hook(pod, container.name, id, 'postStart', 0),
    runPreStop: (pod, container, id, timeoutMs) => hook(pod, container.name, id, 'preStop', timeoutMs),
    stop: () => probes.stop(),
  };
}
