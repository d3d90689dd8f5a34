// Where a pod's containers are, for the kubelet API (logs, exec, attach, port-forward): the
// current and previous instance of a container and their log files, and the pod's sandbox — read
// from the runtime for a pod the kubelet knows by namespace and name.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { instancesOf, readRuntimePod } from './runtime-pod.js';

/** Where one container of a pod runs now, and where its logs are. */
export interface ContainerLocation {
  containerId: string;
  podSandboxId: string;
  logPath: string;
  /** The previous instance's log (kubectl logs --previous), when there was one. */
  previousLogPath?: string;
}

export class PodLookup {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly pods: () => Iterable<Pod>,
  ) {}

  /** The pods the kubelet runs, as it last saw them. */
  listPods(): Pod[] {
    return [...this.pods()];
  }

  async findContainer(namespace: string, podName: string, containerName: string): Promise<ContainerLocation | undefined> {
    const uid = this.uidOf(namespace, podName);
    if (!uid) return undefined;
    const [current, previous] = instancesOf(await readRuntimePod(this.runtime, uid), containerName);
    if (!current?.podSandboxId) return undefined;
    return {
      containerId: current.id,
      podSandboxId: current.podSandboxId,
      logPath: current.logPath,
      ...(previous ? { previousLogPath: previous.logPath } : {}),
    };
  }

  async findPodSandbox(namespace: string, podName: string): Promise<string | undefined> {
    const uid = this.uidOf(namespace, podName);
    if (!uid) return undefined;
    const ready = (await readRuntimePod(this.runtime, uid)).sandboxes.find((s) => s.state === 'ready');
    return ready?.id;
  }

  private uidOf(namespace: string, name: string): string | undefined {
    for (const p of this.pods()) {
      if (p.metadata?.namespace === namespace && p.metadata?.name === name) return p.metadata.uid;
    }
    return undefined;
  }
}
