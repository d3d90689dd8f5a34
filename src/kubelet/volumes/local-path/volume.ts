// What the local-path provisioner writes: the PersistentVolume for a claim (a hostPath directory
// <dataDir>/storage/<claim uid> on one node, pinned there by node affinity, reclaimed by deletion),
// the claim's binding (spec.volumeName and the binder's annotations) and both Bound statuses.

import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeStatus } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

export const LOCAL_PATH_CLASS = 'local-path';
/** The provisioner name k3s's local-path-provisioner uses, so manifests written for k3s work. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export type BindingMode = 'Immediate' | 'WaitForFirstConsumer';

export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata?.uid ?? ''}`;
}

export function storagePathFor(dataDir: string, claim: PersistentVolumeClaim): string {
  return join(dataDir, 'storage', claim.metadata?.uid ?? '');
}

export function volumeFor(claim: PersistentVolumeClaim, node: string, path: string): PersistentVolume {
  const m = claim.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [PROVISIONED_BY_ANNOTATION]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: String(claim.spec?.resources?.requests?.storage ?? '1Gi') },
      accessModes: claim.spec?.accessModes?.length ? [...claim.spec.accessModes] : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: LOCAL_PATH_CLASS,
      volumeMode: 'Filesystem',
      hostPath: { path, type: 'DirectoryOrCreate' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [node] }] }] } },
    },
  };
}

/** The node a provisioned volume lives on (from its node affinity). */
export function nodeOf(pv: PersistentVolume): string | undefined {
  return pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e) => e.key === HOSTNAME_LABEL)?.values?.[0];
}

export function boundClaimStatus(pv: PersistentVolume): PersistentVolumeClaimStatus {
  return { phase: 'Bound', accessModes: [...(pv.spec?.accessModes ?? [])], capacity: { ...(pv.spec?.capacity ?? {}) } };
}

export const BOUND_VOLUME_STATUS: PersistentVolumeStatus = { phase: 'Bound' };
