// What one DaemonSet sync changes (manage, podsShouldBeOnNode and rollingUpdate in
// pkg/controller/daemon), as a pure plan over the nodes and the pods on each. A node that should
// run the daemon and has no pod gets one; a failed pod is deleted (replaced on a later sync),
// unless its node is in backoff; duplicates are trimmed to the oldest (one per revision while
// surging); a node that may no longer run it, or that is gone, loses its pods. RollingUpdate then replaces pods not at the current
// hash: with maxSurge 0, old pods are deleted while no more than maxUnavailable daemon pods are
// unavailable (unavailable old pods first); with maxSurge > 0 a new pod starts beside the old one
// on at most maxSurge nodes at once and the old one goes once the new one is available.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../framework/history.js';
import type { NodeDecision } from './eligibility.js';

export interface NodeState {
  node: Node;
  decision: NodeDecision;
  /** The daemon pods targeting the node (scheduled there or pinned to it). */
  pods: readonly Pod[];
}

export interface DaemonPlanInput {
  nodes: readonly NodeState[];
  /** Pods targeting no node the cluster has. */
  strayPods: readonly Pod[];
  hash: string;
  /** The rolling update's limits, already scaled; undefined for OnDelete. */
  rolling: { maxSurge: number; maxUnavailable: number } | undefined;
  isAvailable: (pod: Pod) => boolean;
  /** Whether failed pods on the node must wait before being replaced (failedPodsBackoff). */
  inBackoff?: (node: string) => boolean;
}

export interface DaemonPlan {
  /** Nodes to create a pod for. */
  createOn: string[];
  deletePods: Pod[];
  /** Nodes whose failed pods were kept for now (in backoff). */
  backedOff?: string[];
}

const deleting = (p: Pod): boolean => !!p.metadata?.deletionTimestamp;
const failed = (p: Pod): boolean => p.status?.phase === 'Failed';
const byAge = (a: Pod, b: Pod): number => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
export const isUpdated = (pod: Pod, hash: string): boolean => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;

/** The new and old live pods on a node; ok is false when there are two of either. */
function updatedAndOld(pods: readonly Pod[], hash: string): { fresh?: Pod; old?: Pod; ok: boolean } {
  let fresh: Pod | undefined;
  let old: Pod | undefined;
  for (const p of pods) {
    if (deleting(p)) continue;
    if (isUpdated(p, hash)) {
      if (fresh) return { ok: false };
      fresh = p;
    } else {
      if (old) return { ok: false };
      old = p;
    }
  }
  return { fresh, old, ok: true };
}

export function planDaemonSet(input: DaemonPlanInput): DaemonPlan {
  const createOn: string[] = [];
  const backedOff: string[] = [];
  const deletePods: Pod[] = [...input.strayPods.filter((p) => !deleting(p))];
  const surging = (input.rolling?.maxSurge ?? 0) > 0;
  for (const { node, decision, pods } of input.nodes) {
    const name = node.metadata?.name ?? '';
    if (decision.shouldRun && pods.length === 0) {
      createOn.push(name);
      continue;
    }
    if (!decision.shouldContinueRunning) {
      deletePods.push(...pods.filter((p) => !deleting(p)));
      continue;
    }
    const running: Pod[] = [];
    for (const p of pods) {
      if (deleting(p)) continue;
      if (!failed(p)) running.push(p);
      else if (input.inBackoff?.(name)) backedOff.includes(name) || backedOff.push(name);
      else deletePods.push(p);
    }
    if (running.length <= 1) continue;
    // Keep the oldest pod (the oldest of each revision while surging); delete the rest.
    const groups = surging ? [running.filter((p) => isUpdated(p, input.hash)), running.filter((p) => !isUpdated(p, input.hash))] : [running];
    for (const g of groups) deletePods.push(...[...g].sort(byAge).slice(1));
  }
  if (!input.rolling) return { createOn, deletePods, backedOff };
  const rolled = surging ? surgeUpdate(input, input.rolling.maxSurge) : unavailableUpdate(input, input.rolling.maxUnavailable);
  const doomed = new Set(deletePods);
  return { createOn: [...createOn, ...rolled.createOn], deletePods: [...deletePods, ...rolled.deletePods.filter((p) => !doomed.has(p))], backedOff };
}

/** rollingUpdate with maxSurge 0: delete old pods within the unavailability budget. */
function unavailableUpdate(input: DaemonPlanInput, maxUnavailable: number): DaemonPlan {
  let unavailable = 0;
  const replaceNow: Pod[] = [];
  const candidates: Pod[] = [];
  for (const { decision, pods } of input.nodes) {
    // Nodes with daemon pods, and nodes that want one but have none (updatedDesiredNodeCounts): the latter are unavailable.
    if (!decision.shouldContinueRunning || (pods.length === 0 && !decision.shouldRun)) continue;
    const { fresh, old, ok } = updatedAndOld(pods, input.hash);
    if (!ok || (!fresh && !old) || (fresh && old)) {
      unavailable++;
      continue;
    }
    if (fresh) {
      if (!input.isAvailable(fresh)) unavailable++;
      continue;
    }
    if (!input.isAvailable(old!)) replaceNow.push(old!);
    else if (unavailable < maxUnavailable) candidates.push(old!);
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return { createOn: [], deletePods: [...replaceNow, ...candidates.slice(0, room)] };
}

/** rollingUpdate with maxSurge > 0: new pods beside old ones, old ones deleted once the new are available. */
function surgeUpdate(input: DaemonPlanInput, maxSurge: number): DaemonPlan {
  let surging = 0;
  const createNow: string[] = [];
  const candidates: string[] = [];
  const deletePods: Pod[] = [];
  for (const { node, decision, pods } of input.nodes) {
    if (!decision.shouldContinueRunning) continue;
    const { fresh, old, ok } = updatedAndOld(pods, input.hash);
    if (!ok || !old) continue;
    const name = node.metadata?.name ?? '';
    if (!fresh) {
      if (!input.isAvailable(old)) createNow.push(name);
      else if (surging < maxSurge) candidates.push(name);
      continue;
    }
    if (input.isAvailable(fresh)) deletePods.push(old);
    else surging++;
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { createOn: [...createNow, ...candidates.slice(0, room)], deletePods };
}
