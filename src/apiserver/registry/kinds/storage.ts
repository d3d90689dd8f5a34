// core/v1 persistentvolumes and persistentvolumeclaims: status subresources, kubectl's PV/PVC
// tables (capacity, access modes, storage class, VOLUMEATTRIBUTESCLASS), defaults (reclaim
// policy Retain, volume mode Filesystem), phase Pending on create, and small validation.

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy } from '../resource.js';
import { quantityValue } from './quantity.js';
import { ageColumn, deepEqual, define, keepStatus, statusSubresource, wide } from './util.js';
import type { Writable } from './util.js';

export type PVObj = Writable<PersistentVolume>;
export type PVCObj = Writable<PersistentVolumeClaim>;

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** kubectl's GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModes(modes: readonly string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

const storageClass = (o: PVObj | PVCObj): string => o.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] ?? o.spec?.storageClassName ?? '';

function validateAccessModes(modes: readonly string[] | undefined, p: field.FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!modes || modes.length === 0) errs.push(field.required(p, 'at least 1 access mode is required'));
  for (const m of modes ?? []) if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported(p, m, ACCESS_MODES));
  if ((modes ?? []).includes('ReadWriteOncePod') && (modes ?? []).length > 1) {
    errs.push(field.forbidden(p, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

// ---- persistentvolumes ----------------------------------------------------------------------

const PV_NON_SOURCE = new Set([
  'accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy', 'storageClassName', 'volumeMode', 'volumeAttributesClassName',
]);

function validatePV(pv: PVObj): FieldError[] {
  const errs: FieldError[] = [];
  const sp = field.path('spec');
  const spec = pv.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, sp.child('accessModes')));
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(field.required(sp.child('capacity'), ''));
  else if (!('storage' in spec.capacity) || Object.keys(spec.capacity).length !== 1) {
    errs.push(field.notSupported(sp.child('capacity'), Object.keys(spec.capacity).sort(), ['storage']));
  } else if (quantityValue(spec.capacity['storage']) === undefined) {
    errs.push(field.invalid(sp.child('capacity').key('storage'), spec.capacity['storage'], 'must be a valid quantity'));
  }
  if (spec.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(field.notSupported(sp.child('persistentVolumeReclaimPolicy'), spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(field.notSupported(sp.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  const sources = Object.keys(spec).filter((k) => !PV_NON_SOURCE.has(k));
  if (sources.length === 0) errs.push(field.required(sp, 'must specify a volume type'));
  else if (sources.length > 1) errs.push(field.forbidden(sp.child(sources[1]!), 'may not specify more than 1 volume type'));
  return errs;
}

const pvStrategy: Strategy<PVObj> = {
  defaults(pv) {
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ||= 'Retain';
    spec.volumeMode ||= 'Filesystem';
  },
  prepareForCreate(pv, ctx) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: ctx.now };
  },
  prepareForUpdate: keepStatus,
  validate: validatePV,
  validateUpdate: validatePV,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const persistentvolumes = define<PVObj>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  strategy: pvStrategy,
  hasStatus: true,
  columns: [
    { name: 'Capacity', type: 'string', description: 'capacity is the description of the persistent volume\'s resources and capacity.', cell: (pv) => String(pv.spec?.capacity?.['storage'] ?? '0') },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains all ways the volume can be mounted.', cell: (pv) => accessModes(pv.spec?.accessModes) },
    { name: 'Reclaim Policy', type: 'string', description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.', cell: (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? '' },
    { name: 'Status', type: 'string', description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.', cell: (pv) => (pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '')) },
    { name: 'Claim', type: 'string', description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.', cell: (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '') },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pv', cell: storageClass },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pv', cell: (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>' },
    { name: 'Reason', type: 'string', description: 'reason is a brief CamelCase string that describes any failure.', cell: (pv) => pv.status?.reason ?? '' },
    ageColumn(),
    wide('VolumeMode', (pv) => pv.spec?.volumeMode ?? '<unset>', { description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.' }),
  ],
  subresources: [statusSubresource('PersistentVolume')],
});

// ---- persistentvolumeclaims -----------------------------------------------------------------

function validatePVC(pvc: PVCObj): FieldError[] {
  const errs: FieldError[] = [];
  const sp = field.path('spec');
  const spec = pvc.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, sp.child('accessModes')));
  const storage = spec.resources?.requests?.['storage'];
  if (storage === undefined) errs.push(field.required(sp.child('resources').key('storage'), ''));
  else {
    const v = quantityValue(storage);
    if (v === undefined) errs.push(field.invalid(sp.child('resources').child('requests').key('storage'), storage, 'must be a valid quantity'));
    else if (v <= 0) errs.push(field.invalid(sp.child('resources').child('requests').key('storage'), storage, 'must be greater than zero'));
  }
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(field.notSupported(sp.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  return errs;
}

function validatePVCUpdate(pvc: PVCObj, old: PVCObj): FieldError[] {
  const errs = validatePVC(pvc);
  const strip = (o: PVCObj): unknown => {
    const spec = structuredClone(o.spec ?? {});
    if (spec.resources) delete spec.resources.requests;
    delete spec.volumeAttributesClassName;
    // The binder fills volumeName and storageClassName once.
    if (!old.spec?.volumeName) delete spec.volumeName;
    if (!old.spec?.storageClassName) delete spec.storageClassName;
    return spec;
  };
  if (!deepEqual(strip(pvc), strip(old))) {
    errs.push(field.forbidden(field.path('spec'), 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return errs;
}

const pvcStrategy: Strategy<PVCObj> = {
  defaults(pvc) {
    const spec = (pvc.spec ??= {});
    spec.volumeMode ||= 'Filesystem';
  },
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' };
  },
  prepareForUpdate: keepStatus,
  validate: validatePVC,
  validateUpdate: validatePVCUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const persistentvolumeclaims = define<PVCObj>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  strategy: pvcStrategy,
  hasStatus: true,
  columns: [
    { name: 'Status', type: 'string', description: 'phase represents the current phase of PersistentVolumeClaim.', cell: (c) => (c.metadata?.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? '')) },
    { name: 'Volume', type: 'string', description: 'volumeName is the binding reference to the PersistentVolume backing this claim.', cell: (c) => c.spec?.volumeName ?? '' },
    { name: 'Capacity', type: 'string', description: 'capacity represents the actual resources of the underlying volume.', cell: (c) => (c.spec?.volumeName ? String(c.status?.capacity?.['storage'] ?? '0') : '') },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains the actual access modes the volume backing the PVC has.', cell: (c) => (c.spec?.volumeName ? accessModes(c.status?.accessModes) : '') },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pvc', cell: storageClass },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pvc', cell: (c) => c.spec?.volumeAttributesClassName ?? '<unset>' },
    ageColumn(),
    wide('VolumeMode', (c) => c.spec?.volumeMode ?? '<unset>', { description: 'volumeMode defines what type of volume is required by the claim.' }),
  ],
  subresources: [statusSubresource('PersistentVolumeClaim')],
});
