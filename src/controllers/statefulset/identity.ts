// A StatefulSet pod's stable identity (pkg/controller/statefulset/stateful_set_utils.go): the name
// `<set>-<ordinal>`, hostname and subdomain (spec.serviceName), the pod-name and pod-index labels,
// the controller-revision-hash of the revision it was made from, and its volumes: one claim per
// volumeClaimTemplate, `<claim>-<set>-<ordinal>`, replacing a template volume of the same name.

import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from '../../api/object.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../framework/history.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name}-${ordinal}`;
}

/** The ordinal of a pod named `<set>-<n>`, or undefined for a pod that is not one of the set's. */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${set.metadata?.name}-`;
  const name = pod.metadata?.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** The first ordinal (spec.ordinals.start, 0 by default). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function claimName(set: StatefulSet, claimTemplate: PersistentVolumeClaim, ordinal: number): string {
  return `${claimTemplate.metadata?.name}-${set.metadata?.name}-${ordinal}`;
}

/** The claims a pod of this ordinal uses (getPersistentVolumeClaims), labelled with the set's selector labels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(set, t, ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...t.metadata?.labels, ...set.spec?.selector.matchLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}

/** newVersionedStatefulSetPod: the pod of `ordinal` from `template`, at `revision` (a StatefulSet pod is labelled with the revision's name). */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec, revision: string, ordinal: number, ref: OwnerReference): Pod {
  const name = podName(set, ordinal);
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec ?? { containers: [] });
  const claimVolumes: Volume[] = (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    name: t.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
  }));
  const claimed = new Set(claimVolumes.map((v) => v.name));
  if (claimVolumes.length > 0) spec.volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !claimed.has(v.name))];
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace,
      labels: { ...meta.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [ref],
    },
    spec,
  };
}

/** The revision (name) a pod was made from. */
export function podRevision(pod: Pod): string | undefined {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}
