// The kubelet API's view of a running kubelet (server/host.ts's KubeletHost): its pods, where
// each container's current and previous instance and their logs are — found in the runtime by
// the io.kubernetes.* labels the kubelet puts on them; the previous one is the instance the
// container's status names in lastState.terminated, as the kubelet's validateContainerLogStatus
// (so a container waiting in CrashLoopBackOff shows its last run with --previous) — and node stats
// from the runtime.

import type { ContainerState, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID } from './labels.js';
import { RuntimeStats, type ContainerLocation, type KubeletHost } from './server/index.js';

export interface KubeletHostOptions {
  nodeName: string;
  runtime: ContainerRuntime;
  /** The pods the kubelet runs now. */
  pods(): Pod[];
  clock: Clock;
}

export function kubeletHost(options: KubeletHostOptions): KubeletHost {
  const { runtime } = options;
  const listPods = async () => options.pods();
  const podOf = (namespace: string, name: string): Pod | undefined => options.pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name);
  const uidOf = (namespace: string, name: string): string | undefined => podOf(namespace, name)?.metadata?.uid;
  const stats = new RuntimeStats({ nodeName: options.nodeName, runtime, listPods, clock: options.clock, startTime: options.clock.now() });
  return {
    nodeName: options.nodeName,
    runtime,
    listPods,
    async findContainer(namespace, podName, containerName): Promise<ContainerLocation | undefined> {
      const pod = podOf(namespace, podName);
      const uid = pod?.metadata?.uid;
      if (!uid) return undefined;
      const instances = (await runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid, [LABEL_CONTAINER_NAME]: containerName } })).sort(
        (a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt,
      );
      const [current] = instances;
      if (!current) return undefined;
      const lastTerminated = containerIdOf(lastStateOf(pod, containerName)?.terminated?.containerID);
      // before the kubelet has posted a status naming it: the instance before the newest
      const previous = lastTerminated ? instances.find((c) => c.id === lastTerminated) : instances[1];
      const [now, before] = await Promise.all([runtime.containerStatus(current.id), previous ? runtime.containerStatus(previous.id) : undefined]);
      return { containerId: current.id, podSandboxId: current.podSandboxId, logPath: now.logPath, ...(before ? { previousLogPath: before.logPath } : {}) };
    },
    async findPodSandbox(namespace, podName) {
      const uid = uidOf(namespace, podName);
      if (!uid) return undefined;
      const sandboxes = (await runtime.listPodSandbox({ labelSelector: { [LABEL_POD_UID]: uid } })).sort((a, b) => b.createdAt - a.createdAt);
      return (sandboxes.find((s) => s.state === 'ready') ?? sandboxes[0])?.id;
    },
    summaryStats: () => stats.summary(),
  };
}

/** The container's lastState in the pod's status (app, init or ephemeral container). */
function lastStateOf(pod: Pod, name: string): ContainerState | undefined {
  const st = pod.status;
  return [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((c) => c.name === name)?.lastState;
}

/** "containerd://abc" → "abc" (the runtime's id in a status's containerID). */
const containerIdOf = (id: string | undefined): string | undefined => (id?.includes('://') ? id.slice(id.indexOf('://') + 3) : id || undefined);
