// The labels and annotations the kubelet puts on runtime sandboxes and containers (kuberuntime's
// io.kubernetes.* keys), so that runtime state alone tells which pod and container an object
// belongs to — after a kubelet restart, or for a pod the API no longer has.

import type { Pod } from 'kubernetes-types/core/v1.js';

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** "init", "app" or "ephemeral". */
export const LABEL_CONTAINER_TYPE = 'io.kubernetes.container.type';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_GRACE_PERIOD = 'io.kubernetes.pod.terminationGracePeriod';

export interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
}

export function podIdentity(pod: Pod): PodIdentity {
  return { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '' };
}

export function sandboxLabels(pod: Pod): Record<string, string> {
  const id = podIdentity(pod);
  return { ...(pod.metadata?.labels ?? {}), [LABEL_POD_NAME]: id.name, [LABEL_POD_NAMESPACE]: id.namespace, [LABEL_POD_UID]: id.uid };
}

export function containerLabels(pod: Pod, containerName: string, type: 'init' | 'app' | 'ephemeral'): Record<string, string> {
  const id = podIdentity(pod);
  return { [LABEL_POD_NAME]: id.name, [LABEL_POD_NAMESPACE]: id.namespace, [LABEL_POD_UID]: id.uid, [LABEL_CONTAINER_NAME]: containerName, [LABEL_CONTAINER_TYPE]: type };
}

/** "<namespace>_<name>_<uid>": the pod's log directory name (/var/log/pods layout). */
export function podLogDirName(id: PodIdentity): string {
  return `${id.namespace}_${id.name}_${id.uid}`;
}

/** Human form of a pod in messages: "name_namespace(uid)", as the kubelet's format.Pod. */
export function podDescription(id: PodIdentity): string {
  return `${id.name}_${id.namespace}(${id.uid})`;
}
