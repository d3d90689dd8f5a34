// FitError (framework.FitError): why a pod fits no node, in kube-scheduler's words:
// "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu."

import type { Status } from './framework/status.js';

export const NO_NODE_AVAILABLE_MSG = '0/%v nodes are available';

export interface Diagnosis {
  /** Per node, the status that rejected it. */
  nodeToStatus: Map<string, Status>;
  /** Set when PreFilter rejected the pod (then it applies to every node). */
  preFilterMsg?: string;
  postFilterMsg?: string;
  unschedulablePlugins: Set<string>;
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
    this.name = 'FitError';
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const histogram = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}
