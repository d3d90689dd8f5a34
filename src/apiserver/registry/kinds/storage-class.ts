// storage.k8s.io/v1 storageclasses: cluster-scoped, short name sc; defaults (reclaimPolicy Delete,
// volumeBindingMode Immediate), validation as pkg/apis/storage/validation (a qualified provisioner
// name, parameters within bounds, known policies and modes; provisioner, parameters, reclaimPolicy
// and volumeBindingMode immutable) and kubectl's table: NAME with " (default)" for the default
// class, PROVISIONER, RECLAIMPOLICY, VOLUMEBINDINGMODE, ALLOWVOLUMEEXPANSION, AGE.

import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { isQualifiedName } from '../../../api/validation/names.js';
import { isDefaultClass } from '../../../api/volume/storage-class.js';
import { ageColumn, deepEqual, define, immutable } from './util.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_BYTES = 256 * 1024;

function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const prov = field.path('provisioner');
  if (!sc.provisioner) errs.push(field.required(prov, ''));
  else {
    if (sc.provisioner.length > 63) errs.push(field.tooLong(prov, sc.provisioner, 63));
    for (const msg of isQualifiedName(sc.provisioner.toLowerCase())) errs.push(field.invalid(prov, sc.provisioner, msg));
  }
  const params = Object.entries(sc.parameters ?? {});
  const pp = field.path('parameters');
  if (params.length > MAX_PARAMETERS) errs.push(field.tooMany(pp, params.length, MAX_PARAMETERS));
  let size = 0;
  for (const [k, v] of params) {
    if (k.length === 0) errs.push(field.invalid(pp, k, 'field can not be empty.'));
    size += k.length + v.length;
  }
  if (size > MAX_PARAMETERS_BYTES) errs.push(field.tooLong(pp, size, MAX_PARAMETERS_BYTES));
  if (sc.reclaimPolicy && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) errs.push(field.notSupported(field.path('reclaimPolicy'), sc.reclaimPolicy, RECLAIM_POLICIES));
  const mode = sc.volumeBindingMode;
  if (!mode) errs.push(field.required(field.path('volumeBindingMode'), ''));
  else if (!BINDING_MODES.includes(mode)) errs.push(field.notSupported(field.path('volumeBindingMode'), mode, BINDING_MODES));
  return errs;
}

const forbiddenChange = (a: unknown, b: unknown, name: string): FieldError[] =>
  deepEqual(a, b) ? [] : [field.forbidden(field.path(name), `updates to ${name} are forbidden.`)];

function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  return [
    ...validateStorageClass(sc),
    ...forbiddenChange(sc.parameters ?? {}, old.parameters ?? {}, 'parameters'),
    ...forbiddenChange(sc.provisioner, old.provisioner, 'provisioner'),
    ...forbiddenChange(sc.reclaimPolicy, old.reclaimPolicy, 'reclaimPolicy'),
    ...immutable(sc.volumeBindingMode, old.volumeBindingMode, field.path('volumeBindingMode')),
  ];
}

export const storageclasses = define<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  strategy: {
    defaults(sc) {
      sc.reclaimPolicy ||= 'Delete';
      sc.volumeBindingMode ||= 'Immediate';
    },
    validate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  nameCell: (sc) => (isDefaultClass(sc) ? `${sc.metadata?.name ?? ''} (default)` : (sc.metadata?.name ?? '')),
  columns: [
    { name: 'Provisioner', type: 'string', description: 'provisioner indicates the type of the provisioner.', cell: (sc) => sc.provisioner },
    { name: 'ReclaimPolicy', type: 'string', description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.', cell: (sc) => sc.reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', type: 'string', description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.', cell: (sc) => sc.volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', type: 'string', description: 'allowVolumeExpansion shows whether the storage class allow volume expand.', cell: (sc) => String(sc.allowVolumeExpansion ?? false) },
    ageColumn(),
  ],
});
