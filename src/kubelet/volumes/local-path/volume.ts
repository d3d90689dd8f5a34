// What the local-path provisioner writes: the PersistentVolume for a claim (a hostPath directory
// <dataDir>/storage/<claim uid> on one node, pinned there by node affinity, pre-bound to the claim
// through claimRef for the PV controller to finish), and the `local-path` StorageClass that
// `kite server` creates as the cluster's default class.

import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ANN_PROVISIONED_BY } from '../../../api/volume/binding.js';
import { IS_DEFAULT_CLASS_ANNOTATION, classOf } from '../../../api/volume/storage-class.js';

export const LOCAL_PATH_CLASS = 'local-path';
/** The provisioner name k3s's local-path-provisioner uses, so manifests written for k3s work. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The default class, as k3s ships it: WaitForFirstConsumer, reclaimPolicy Delete. */
export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [IS_DEFAULT_CLASS_ANNOTATION]: 'true' } },
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

export function volumeFor(claim: PersistentVolumeClaim, sc: StorageClass, node: string, path: string): PersistentVolume {
  const m = claim.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: String(claim.spec?.resources?.requests?.storage ?? '1Gi') },
      accessModes: claim.spec?.accessModes?.length ? [...claim.spec.accessModes] : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: classOf(claim),
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path, type: 'DirectoryOrCreate' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [node] }] }] } },
    },
  };
}

/** The node a provisioned volume lives on (from its node affinity). */
export function nodeOf(pv: PersistentVolume): string | undefined {
  return pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e) => e.key === HOSTNAME_LABEL)?.values?.[0];
}
