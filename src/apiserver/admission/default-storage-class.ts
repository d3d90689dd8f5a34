// DefaultStorageClass admission (plugin/pkg/admission/storage/storageclass/setdefault): a new
// PersistentVolumeClaim that names no class — spec.storageClassName unset (an explicit "" means
// "no class" and is kept) and no beta storage-class annotation — gets the default StorageClass
// (storageclass.kubernetes.io/is-default-class: "true"; the newest when several are marked).
// Without a default class the claim is left as it is.

import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { BETA_STORAGE_CLASS_ANNOTATION, defaultClassOf } from '../../api/volume/storage-class.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export class DefaultStorageClass implements AdmissionPlugin {
  readonly name = 'DefaultStorageClass';

  constructor(private readonly listClasses: () => Promise<StorageClass[]>) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.resource.group !== '' || attrs.resource.resource !== 'persistentvolumeclaims') return;
    const pvc = attrs.object as PersistentVolumeClaim | undefined;
    if (!pvc?.spec) return;
    if (pvc.spec.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
    if (pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return;
    const def = defaultClassOf(await this.listClasses());
    if (def?.metadata?.name) (pvc.spec as { storageClassName?: string }).storageClassName = def.metadata.name;
  }
}
