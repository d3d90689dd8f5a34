// What the kubelet API server needs from the kubelet it serves: the node's name, the container
// runtime, the pods bound to this node and where each container's current and previous instance
// (and its log files) are, and the node's summary stats. The kubelet core implements it; tests
// implement it over a runtime directly.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { StatsSummary } from '../../api/stats-summary.js';
import type { ContainerRuntime } from '../../runtime/runtime.js';

/** Where one container of a pod runs now, and where its logs are. */
export interface ContainerLocation {
  /** The runtime's id of the current (latest) instance. */
  containerId: string;
  /** The runtime's id of the pod's sandbox. */
  podSandboxId: string;
  /** Absolute path of the current instance's CRI-format log file. */
  logPath: string;
  /** Absolute path of the previous instance's log file, when there was one (kubectl logs --previous). */
  previousLogPath?: string;
}

export interface KubeletHost {
  readonly nodeName: string;
  readonly runtime: ContainerRuntime;
  /** The pods this kubelet runs (as the kubelet last saw them), for /pods. */
  listPods(): Promise<Pod[]>;
  /** The container's runtime instance, or undefined when the pod or container is unknown or not yet created. */
  findContainer(namespace: string, podName: string, containerName: string): Promise<ContainerLocation | undefined>;
  /** The pod's sandbox id (for port-forward), or undefined when it has none. */
  findPodSandbox(namespace: string, podName: string): Promise<string | undefined>;
  /** Node and pod CPU/memory usage (see stats.ts for a summary computed from the runtime's stats). */
  summaryStats(): Promise<StatsSummary>;
}
