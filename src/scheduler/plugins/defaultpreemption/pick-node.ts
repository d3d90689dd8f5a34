// pickOneNodeForPreemption, as kube-scheduler picks among the nodes where preemption would let the
// pod fit: fewest PodDisruptionBudget violations; then the lowest highest-priority victim; then the
// smallest sum of victim priorities; then the fewest victims; then the node whose earliest-started
// highest-priority victim started latest; then the first.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { podPriority, type Victims } from './victims.js';

const INT32_MAX = 2147483647;

function minBy<T>(items: T[], score: (t: T) => number): T[] {
  let best = Infinity;
  let out: T[] = [];
  for (const item of items) {
    const s = score(item);
    if (s < best) {
      best = s;
      out = [item];
    } else if (s === best) out.push(item);
  }
  return out;
}

function earliestStartOfHighestPriority(pods: Pod[], now: number): number {
  const top = Math.max(...pods.map(podPriority));
  let earliest = Infinity;
  for (const p of pods) {
    if (podPriority(p) !== top) continue;
    const t = p.status?.startTime ? Date.parse(p.status.startTime) : now;
    earliest = Math.min(earliest, Number.isNaN(t) ? now : t);
  }
  return earliest;
}

/** The chosen node's name, or undefined when there are no candidates. */
export function pickOneNodeForPreemption(candidates: Map<string, Victims>, now: number): string | undefined {
  let nodes = [...candidates.keys()];
  if (nodes.length === 0) return undefined;
  // A node with no victims at all needs no preemption.
  const free = nodes.find((n) => candidates.get(n)!.pods.length === 0);
  if (free !== undefined) return free;
  const v = (n: string) => candidates.get(n)!;
  nodes = minBy(nodes, (n) => v(n).numPdbViolations);
  if (nodes.length > 1) nodes = minBy(nodes, (n) => podPriority(v(n).pods[0]!));
  if (nodes.length > 1) nodes = minBy(nodes, (n) => v(n).pods.reduce((sum, p) => sum + podPriority(p) + INT32_MAX + 1, 0));
  if (nodes.length > 1) nodes = minBy(nodes, (n) => v(n).pods.length);
  if (nodes.length > 1) nodes = minBy(nodes, (n) => -earliestStartOfHighestPriority(v(n).pods, now));
  return nodes[0];
}
