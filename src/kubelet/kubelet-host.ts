// The kubelet API's view of a running kubelet (server/host.ts's KubeletHost): its pods, where
// each container's current and previous instance and their logs are — found in the runtime by
// the io.kubernetes.* labels the kubelet puts on them — and node stats from the runtime.

import type { Pod } from 'kubernetes-types/core/v1.js';
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
  const uidOf = (namespace: string, name: string): string | undefined =>
    options.pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name)?.metadata?.uid;
  const stats = new RuntimeStats({ nodeName: options.nodeName, runtime, listPods, clock: options.clock, startTime: options.clock.now() });
  return {
    nodeName: options.nodeName,
    runtime,
    listPods,
    async findContainer(namespace, podName, containerName): Promise<ContainerLocation | undefined> {
      const uid = uidOf(namespace, podName);
      if (!uid) return undefined;
      const instances = (await runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid, [LABEL_CONTAINER_NAME]: containerName } })).sort(
        (a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt,
      );
      const [current, previous] = instances;
      if (!current) return undefined;
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
