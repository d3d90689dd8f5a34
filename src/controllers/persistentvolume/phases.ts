// A bound claim's status as the PV controller writes it: phase Bound with the volume's access
// modes and capacity (undefined when the claim already says so).

import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus } from 'kubernetes-types/core/v1.js';

export function claimStatusFor(claim: PersistentVolumeClaim, pv: PersistentVolume): PersistentVolumeClaimStatus | undefined {
  const accessModes = [...(pv.spec?.accessModes ?? [])];
  const capacity = { ...(pv.spec?.capacity ?? {}) };
  const s = claim.status;
  const same =
    s?.phase === 'Bound' &&
    JSON.stringify(s.accessModes ?? []) === JSON.stringify(accessModes) &&
    JSON.stringify(s.capacity ?? {}) === JSON.stringify(capacity);
  return same ? undefined : { ...s, phase: 'Bound', accessModes, capacity };
}
