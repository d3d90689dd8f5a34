// What marks a pod as static or mirror, as Kubernetes' kubelet types do: the config annotations
// a config source puts on its pods (kubernetes.io/config.source, .hash, .seen) and the one a mirror
// pod carries (kubernetes.io/config.mirror = the static pod's config hash), with the predicates
// built on them.

import type { Pod } from 'kubernetes-types/core/v1.js';

export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The config sources: static pods come from a file (or http); "api" pods from the API server. */
export const FILE_SOURCE = 'file';
export const API_SOURCE = 'api';

/** A pod the kubelet runs from a non-API source (a manifest file). */
export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION];
  return source !== undefined && source !== API_SOURCE;
}

/** The API object a kubelet created to show one of its static pods. */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** The static pod's config hash (its UID). */
export function configHash(pod: Pod): string | undefined {
  return pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
}

/** "<name>_<namespace>", the kubelet's pod full name: a static pod and its mirror share it. */
export function podFullName(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}`;
}

/** The mirror pod shows this static pod: same full name, and its mirror annotation is the pod's hash. */
export function isMirrorPodOf(mirror: Pod, pod: Pod): boolean {
  if (podFullName(mirror) !== podFullName(pod)) return false;
  const hash = configHash(pod);
  return hash !== undefined && mirror.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === hash;
}
