// Ephemeral containers (spec.ephemeralContainers, which `kubectl debug` adds through the
// pods/ephemeralcontainers subresource), as kuberuntime's computePodActions decides them: one
// that has never run — no instance of its name in any of the pod's sandboxes — is started once,
// in a sync that found the sandbox up, whether or not the init containers are done; it is never
// restarted, whatever its exit. With targetContainerName it joins that container's PID namespace,
// which must be running (else CreateContainerConfigError, as the kubelet's getTargetID).

import type { Container, EphemeralContainer, Pod } from 'kubernetes-types/core/v1.js';
import { instancesOf, type RuntimePod } from './runtime-pod.js';
import { ContainerReasonError } from './seams.js';

/** The container fields an ephemeral container shares with the others (EphemeralContainerCommon). */
export function ephemeralAsContainer(c: EphemeralContainer): Container {
  const { targetContainerName: _target, ...common } = c;
  return common;
}

/** The pod's ephemeral containers that have never run (`all`: the instances of every sandbox). */
export function ephemeralContainersToStart(pod: Pod, all: RuntimePod): EphemeralContainer[] {
  return (pod.spec?.ephemeralContainers ?? []).filter((c) => instancesOf(all, c.name).length === 0);
}

/** The id of the running container whose PID namespace `c` joins; undefined without a target. */
export function pidTargetId(c: EphemeralContainer, state: RuntimePod): string | undefined {
  const target = c.targetContainerName;
  if (!target) return undefined;
  const newest = instancesOf(state, target)[0];
  if (newest?.state !== 'running') throw new ContainerReasonError('CreateContainerConfigError', `unable to find target container ${target}`);
  return newest.id;
}
