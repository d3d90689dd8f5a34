// What VolumeBinding decides, without I/O (volumebinding/binder.go): a pod's claims sorted into
// bound ones, WaitForFirstConsumer ones still to bind, and unbound Immediate ones (which the PV
// controller, not the scheduler, must bind first); and, for one node, whether the bound volumes'
// node affinity admits it and how each claim to bind would be served there — a matching available
// volume (smallest first, each volume used once) or dynamic provisioning by its class.

import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from '../../../api/volume/binding.js';
import { compareQuantities } from '../../../api/quantity.js';
import { findMatchingVolume, storageOf } from '../../../api/volume/pv-matching.js';
import { classOf } from '../../../api/volume/storage-class.js';
import type { VolumeListers } from '../../framework/interfaces.js';
import { nodeSelectorMatches } from '../../../api/node-selector.js';

export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** The class name of claims that are never provisioned dynamically. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface PodClaims {
  /** Claims bound to a volume (spec.volumeName and bind-completed). */
  bound: PersistentVolumeClaim[];
  /** Unbound claims of WaitForFirstConsumer classes: the scheduler binds or provisions them. */
  toBind: PersistentVolumeClaim[];
  /** Unbound claims of Immediate classes. */
  unboundImmediate: PersistentVolumeClaim[];
}

/** How one node would serve the claims to bind. */
export interface NodeBindings {
  staticBindings: { pv: PersistentVolume; claim: PersistentVolumeClaim }[];
  provisions: PersistentVolumeClaim[];
}

/** The pod's claims, or why the pod cannot be scheduled anywhere (a claim is missing or going). */
export function podClaims(pod: Pod, listers: VolumeListers): PodClaims | { unresolvable: string } {
  const out: PodClaims = { bound: [], toBind: [], unboundImmediate: [] };
  const ns = pod.metadata?.namespace ?? '';
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = listers.claim(ns, name);
    if (!claim) return { unresolvable: `persistentvolumeclaim "${name}" not found` };
    if (claim.metadata?.deletionTimestamp) return { unresolvable: `persistentvolumeclaim "${name}" is being deleted` };
    if (claim.spec?.volumeName && claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined) out.bound.push(claim);
    else if (listers.storageClass(classOf(claim))?.volumeBindingMode === 'WaitForFirstConsumer') out.toBind.push(claim);
    else out.unboundImmediate.push(claim);
  }
  return out;
}

/** Whether a volume's required node affinity admits the node (none: every node). */
export function volumeFitsNode(pv: PersistentVolume, node: Node): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  return !required || nodeSelectorMatches(required, node);
}

/** Whether a class may provision on the node (a provisioner, and allowedTopologies admitting it). */
function classProvisionsOn(sc: StorageClass | undefined, node: Node): boolean {
  if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER) return false;
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata?.labels ?? {};
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key] ?? '\u0000')));
}

/** FindPodVolumes for one node: the bindings, or the reasons it does not fit. */
export function findPodVolumes(claims: PodClaims, node: Node, volumes: readonly PersistentVolume[], listers: VolumeListers): { bindings?: NodeBindings; reasons: string[] } {
  const reasons: string[] = [];
  const byName = new Map(volumes.map((pv) => [pv.metadata?.name ?? '', pv]));
  for (const claim of claims.bound) {
    const pv = byName.get(claim.spec?.volumeName ?? '');
    if (!pv || !volumeFitsNode(pv, node)) {
      reasons.push(ERR_NODE_CONFLICT);
      break;
    }
  }
  const bindings: NodeBindings = { staticBindings: [], provisions: [] };
  const nodeName = node.metadata?.name ?? '';
  const toMatch: PersistentVolumeClaim[] = [];
  let satisfied = true;
  for (const claim of claims.toBind) {
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (selected === undefined) toMatch.push(claim);
    else if (selected === nodeName) bindings.provisions.push(claim);
    else satisfied = false;
  }
  // Smallest requests first, so each gets the smallest volume that fits it.
  toMatch.sort((a, b) => compareQuantities(storageOf(a.spec?.resources?.requests), storageOf(b.spec?.resources?.requests)));
  const chosen = new Set<string>();
  for (const claim of satisfied ? toMatch : []) {
    const pv = findMatchingVolume(claim, volumes, { nodeAffinityMatches: (v) => volumeFitsNode(v, node), excluded: chosen });
    if (pv) {
      chosen.add(pv.metadata?.name ?? '');
      bindings.staticBindings.push({ pv, claim });
    } else if (classProvisionsOn(listers.storageClass(classOf(claim)), node)) {
      bindings.provisions.push(claim);
    } else {
      satisfied = false;
    }
  }
  if (!satisfied) reasons.push(ERR_BIND_CONFLICT);
  return reasons.length ? { reasons } : { bindings, reasons };
}
