// Which container a pods/log, exec or attach request means: the one named, else the one named by
// the kubectl.kubernetes.io/default-container annotation, else the only one — otherwise 400 with
// the names to choose from, as kube-apiserver words it.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { newBadRequest } from '../../api/status-errors.js';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

function allContainerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

export function resolveContainer(pod: Pod, requested: string | null | undefined): string {
  const name = pod.metadata?.name ?? '';
  const names = allContainerNames(pod);
  if (requested) {
    if (!names.includes(requested)) throw newBadRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && names.includes(annotated)) return annotated;
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw newBadRequest(`a container name must be specified for pod ${name}`);
  throw newBadRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
}
