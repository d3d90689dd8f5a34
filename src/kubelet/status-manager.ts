// The pod status manager: keeps the status the kubelet computed for each pod and PATCHes
// pods/NAME/status only when it differs from what was last posted (or from the API's copy after a
// kubelet restart). A failed post is retried on the next set(); a terminal phase is never left.

import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../api/status-predicates.js';
import type { Logger } from '../util/log.js';
import type { KubeletApi } from './kubelet-api.js';
import { podIdentity } from './labels.js';
import { isTerminalPhase } from './pod-status.js';

interface Entry {
  status: PodStatus;
  posted: boolean;
}

const FIELDS: (keyof PodStatus)[] = [
  'phase', 'conditions', 'podIP', 'podIPs', 'hostIP', 'hostIPs', 'startTime', 'containerStatuses', 'initContainerStatuses', 'reason', 'message',
];

function project(status: PodStatus | undefined): string {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (status?.[f] !== undefined) out[f] = status[f];
  return JSON.stringify(out);
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly api: KubeletApi,
    private readonly logger: Logger,
  ) {}

  /** The last status computed for the pod, if any. */
  get(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.status;
  }

  /** True when the kubelet has decided the pod is finished (Succeeded/Failed). */
  isTerminal(pod: Pod): boolean {
    return isTerminalPhase(pod.status?.phase) || isTerminalPhase(this.get(pod.metadata?.uid ?? '')?.phase);
  }

  /** Records the pod's status and posts it if it changed; resolves true once the API has it. */
  async set(pod: Pod, status: PodStatus): Promise<boolean> {
    const id = podIdentity(pod);
    const prev = this.entries.get(id.uid);
    if (prev && isTerminalPhase(prev.status.phase) && !isTerminalPhase(status.phase)) status = { ...status, phase: prev.status.phase };
    const text = project(status);
    if (prev?.posted && project(prev.status) === text) return true;
    if (!prev && project(pod.status) === text) {
      this.entries.set(id.uid, { status, posted: true });
      return true;
    }
    const entry: Entry = { status, posted: false };
    this.entries.set(id.uid, entry);
    try {
      await this.api.patchPodStatus(id.namespace, id.name, id.uid, status);
      entry.posted = true;
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      this.logger.warn('failed to update pod status', { pod: `${id.namespace}/${id.name}`, error: err as Error });
      return false;
    }
  }

  forget(uid: string): void {
    this.entries.delete(uid);
  }
}
