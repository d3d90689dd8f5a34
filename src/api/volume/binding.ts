// The two halves of a PersistentVolume ↔ claim binding as the PV controller writes them (and the
// scheduler's VolumeBinding plugin, which pre-binds volumes): the volume's claimRef and the
// claim's spec.volumeName, each with the annotations that say the controller made the link, plus
// the annotations of the dynamic-provisioning hand-off.

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

const withAnnotations = <T extends { metadata?: PersistentVolume['metadata'] }>(obj: T, add: Record<string, string>): T => ({
  ...obj,
  metadata: { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), ...add } },
});

/** The provisioner a claim was handed to (the GA annotation, else the beta one). */
export function provisionerOf(claim: PersistentVolumeClaim): string | undefined {
  const a = claim.metadata?.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
}

/**
 * bindVolumeToClaimOperation's volume half: claimRef names the claim (with its uid); the
 * bound-by-controller annotation is set when the controller (not a user) made the reference.
 * Undefined when the volume already says so.
 */
export function volumeBoundTo(pv: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume | undefined {
  const ref = pv.spec?.claimRef;
  const m = claim.metadata ?? {};
  if (ref && ref.uid === m.uid && ref.name === m.name && ref.namespace === m.namespace) return undefined;
  const byController = !ref || ref.name !== m.name || ref.namespace !== m.namespace;
  const next: PersistentVolume = {
    ...pv,
    spec: {
      ...pv.spec,
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '' },
    },
  };
  return byController ? withAnnotations(next, { [ANN_BOUND_BY_CONTROLLER]: 'yes' }) : next;
}

/**
 * bindClaimToVolume: spec.volumeName (bound-by-controller when the controller set it) and
 * bind-completed. Undefined when nothing changes.
 */
export function claimBoundTo(claim: PersistentVolumeClaim, pv: PersistentVolume): PersistentVolumeClaim | undefined {
  const name = pv.metadata?.name ?? '';
  const ann = claim.metadata?.annotations ?? {};
  const setName = claim.spec?.volumeName !== name;
  if (!setName && ann[ANN_BIND_COMPLETED] === 'yes') return undefined;
  const add: Record<string, string> = { [ANN_BIND_COMPLETED]: 'yes' };
  if (setName) add[ANN_BOUND_BY_CONTROLLER] = 'yes';
  return withAnnotations({ ...claim, spec: { ...claim.spec, volumeName: name } }, add);
}
