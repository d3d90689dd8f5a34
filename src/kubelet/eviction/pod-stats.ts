// Per-pod usage for eviction ranking (what the kubelet's summary gives its eviction manager): the
// memory working set and writable-layer bytes of each running container, from the runtime's
// container stats joined to the pod by the container's io.kubernetes.pod.uid label.

import type { ContainerRuntime } from '../../runtime/runtime.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID } from '../labels.js';

export interface ContainerUsage {
  name: string;
  memoryBytes: number;
  /** Writable layer and logs, when the runtime knows them. */
  storageBytes?: number;
}

export interface PodUsage {
  containers: ContainerUsage[];
}

/** Usage by pod UID; a pod with no running container has no entry (no stats). */
export async function runtimePodUsage(runtime: ContainerRuntime): Promise<Map<string, PodUsage>> {
  const [containers, stats] = await Promise.all([runtime.listContainers({ state: 'running' }), runtime.listContainerStats({ state: 'running' })]);
  const byId = new Map(stats.map((s) => [s.id, s]));
  const out = new Map<string, PodUsage>();
  for (const c of containers) {
    const uid = c.labels[LABEL_POD_UID];
    const s = byId.get(c.id);
    if (!uid || !s) continue;
    const usage = out.get(uid) ?? { containers: [] };
    usage.containers.push({ name: c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name, memoryBytes: s.memoryWorkingSetBytes, ...(s.writableLayerBytes !== undefined ? { storageBytes: s.writableLayerBytes } : {}) });
    out.set(uid, usage);
  }
  return out;
}
