// Choosing victims on one node, as kube-scheduler's DefaultPreemption does (SelectVictimsOnNode):
// remove every pod of lower priority than the preemptor; if the preemptor then fits, add them back
// one by one, most important first — those protected by a PodDisruptionBudget before the others —
// keeping back each one the preemptor still fits beside. Those that cannot come back are victims.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { selectorFromLabelSelector } from '../../../api/labels/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkRunner } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';

export const NO_VICTIMS_REASON = 'No preemption victims found for incoming pod';

export const podPriority = (pod: Pod): number => pod.spec?.priority ?? 0;

function startTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a, now) < startTime(b, now);
}

/**
 * filterPodsWithPDBViolation: pods whose eviction would take a matching PDB (same namespace,
 * non-empty selector, pod not already counted as disrupted) below zero allowed disruptions, and
 * the rest. Order is kept.
 */
export function splitByPdbViolation(pods: Pod[], pdbs: PodDisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    const sel = p.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return undefined;
    try {
      return selectorFromLabelSelector(sel);
    } catch {
      return undefined;
    }
  });
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    const ns = pod.metadata?.namespace ?? 'default';
    const labels = pod.metadata?.labels ?? {};
    pdbs.forEach((pdb, i) => {
      if ((pdb.metadata?.namespace ?? 'default') !== ns) return;
      const sel = selectors[i];
      if (!sel || !sel.matches(labels)) return;
      if (pdb.status?.disruptedPods && (pod.metadata?.name ?? '') in pdb.status.disruptedPods) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violated = true;
    });
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

export interface Victims {
  pods: Pod[];
  numPdbViolations: number;
}

/**
 * The victims on `nodeInfo` (a clone the function changes) for `pod`, with `state` a clone of the
 * cycle state; a rejecting status when preemption cannot help there.
 */
export function selectVictimsOnNode(
  fwk: FrameworkRunner,
  state: CycleState,
  pod: Pod,
  nodeInfo: NodeInfo,
  pdbs: PodDisruptionBudget[],
  now: number,
): { victims?: Victims; status: Status } {
  const remove = (p: Pod) => {
    nodeInfo.removePod(p);
    return fwk.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
  };
  const add = (p: Pod) => {
    nodeInfo.addPod(p);
    return fwk.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
  };
  const priority = podPriority(pod);
  const potential: Pod[] = [];
  for (const pi of [...nodeInfo.pods]) {
    if (podPriority(pi.pod) >= priority) continue;
    potential.push(pi.pod);
    const s = remove(pi.pod);
    if (!s.isSuccess()) return { status: s };
  }
  if (potential.length === 0) return { status: Status.unresolvable(NO_VICTIMS_REASON) };
  const fits = fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!fits.isSuccess()) return { status: fits };

  potential.sort((a, b) => (moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0));
  const { violating, nonViolating } = splitByPdbViolation(potential, pdbs);
  const victims: Pod[] = [];
  let numPdbViolations = 0;
  const reprieve = (p: Pod): boolean => {
    const added = add(p);
    if (!added.isSuccess()) throw added.error ?? new Error(added.message());
    if (fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess()) return true;
    const removed = remove(p);
    if (!removed.isSuccess()) throw removed.error ?? new Error(removed.message());
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPdbViolations++;
  for (const p of nonViolating) reprieve(p);
  return { victims: { pods: victims, numPdbViolations }, status: Status.success() };
}
