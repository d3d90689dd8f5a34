// Which PersistentVolume a claim may bind to (component-helpers/storage/volume FindMatchingVolume),
// shared by the PersistentVolume controller (no node) and the scheduler's VolumeBinding plugin (a
// node): a volume pre-bound to the claim wins outright; otherwise the smallest Available volume of
// the claim's class whose capacity covers the request, whose access modes include the claim's,
// whose volume mode agrees, whose labels the claim's selector selects, and (on the scheduler's
// path) whose node affinity the node satisfies. Claims whose binding waits for a consumer are
// matched only on the scheduler's path.

import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { labelSelectorMatches } from '../labels/index.js';
import { Quantity, compareQuantities } from '../quantity.js';
import { classOf } from './storage-class.js';

/** Options of one match. */
export interface MatchOptions {
  /** The scheduler's path: whether the volume's node affinity admits the node under consideration. */
  nodeAffinityMatches?: (pv: PersistentVolume) => boolean;
  /** The PV controller's path for a WaitForFirstConsumer claim: only pre-bound volumes count. */
  delayBinding?: boolean;
  /** Volumes already chosen for other claims of the same pod. */
  excluded?: ReadonlySet<string>;
}

/** The storage quantity of a capacity or request map (0 when missing or malformed). */
export function storageOf(resources: Readonly<Record<string, string | number>> | undefined): Quantity {
  const v = resources?.['storage'];
  if (v === undefined) return Quantity.of(0);
  try {
    return Quantity.fromJSON(v);
  } catch {
    return Quantity.of(0);
  }
}

/** IsVolumeBoundToClaim: the volume's claimRef names the claim (and its uid, when set). */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

/** CheckAccessModes: every mode the claim asks for is one the volume offers. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/** CheckVolumeModeMismatches (an unset mode is Filesystem). */
export function volumeModeMismatch(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** Why a (pre-bound) volume cannot serve the claim, or undefined when it can (checkVolumeSatisfyClaim). */
export function volumeSatisfiesClaim(claim: PersistentVolumeClaim, pv: PersistentVolume): string | undefined {
  if (compareQuantities(storageOf(pv.spec?.capacity), storageOf(claim.spec?.resources?.requests)) < 0) return 'requested PV is too small';
  if (classOf(pv) !== classOf(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, pv)) return 'incompatible accessMode';
  return undefined;
}

/** FindMatchingVolume: the volume the claim should bind to, or undefined. */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], options: MatchOptions = {}): PersistentVolume | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const wantClass = classOf(claim);
  const onNode = options.nodeAffinityMatches;
  let smallest: PersistentVolume | undefined;
  let smallestQty: Quantity | undefined;
  for (const pv of volumes) {
    if (options.excluded?.has(pv.metadata?.name ?? '')) continue;
    const boundHere = isVolumeBoundToClaim(pv, claim);
    if (pv.spec?.claimRef && !boundHere) continue;
    const qty = storageOf(pv.spec?.capacity);
    if (compareQuantities(qty, requested) < 0) continue;
    if (volumeModeMismatch(claim, pv) || pv.metadata?.deletionTimestamp) continue;
    const affinityOk = onNode ? onNode(pv) : true;
    if (boundHere) return affinityOk ? pv : undefined;
    if (!onNode && options.delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (claim.spec?.selector && !labelSelectorMatches(claim.spec.selector, pv.metadata?.labels ?? {})) continue;
    if (classOf(pv) !== wantClass || !affinityOk || !accessModesSatisfied(claim, pv)) continue;
    if (!smallestQty || compareQuantities(smallestQty, qty) > 0) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}
