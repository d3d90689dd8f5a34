// The pod status manager: keeps the status the kubelet computed for each pod and PATCHes
// pods/NAME/status only when it differs from what was last posted (or from the API's copy after a
// kubelet restart). A failed post is retried on the next set(); a terminal phase is never left.
// A static pod's status goes to its mirror pod: `resolveUid` translates the pod's UID to the
// mirror's (the post waits, unposted, while there is none), and `repost` sends it again to a new one.

import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../api/status-predicates.js';
import type { Logger } from '../util/log.js';
import type { KubeletApi } from './kubelet-api.js';
import { podIdentity } from './labels.js';
import { isTerminalPhase } from './pod-status.js';

interface Entry {
  status: PodStatus;
  posted: boolean;
  namespace: string;
  name: string;
}

const FIELDS: (keyof PodStatus)[] = [
  'phase', 'conditions', 'podIP', 'podIPs', 'hostIP', 'hostIPs', 'startTime', 'containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses', 'reason', 'message',
];

function project(status: PodStatus | undefined): string {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (status?.[f] !== undefined) out[f] = status[f];
  return JSON.stringify(out);
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  /** Posts in flight, one per pod; a newer status is posted after the one in flight. */
  private readonly flushing = new Map<string, Promise<void>>();

  constructor(
    private readonly api: KubeletApi,
    private readonly logger: Logger,
    /** The UID of the API object the pod's status goes to (undefined: none yet, keep it). */
    private readonly resolveUid: (uid: string) => string | undefined = (uid) => uid,
  ) {}

  /** The last status computed for the pod, if any. */
  get(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.status;
  }

  /** True when the kubelet has decided the pod is finished (Succeeded/Failed). */
  isTerminal(pod: Pod): boolean {
    return isTerminalPhase(pod.status?.phase) || isTerminalPhase(this.get(pod.metadata?.uid ?? '')?.phase);
  }

  /** Records the pod's status; posts it in the background if it changed or was not posted yet. */
  set(pod: Pod, status: PodStatus): void {
    const id = podIdentity(pod);
    const prev = this.entries.get(id.uid);
    if (prev && isTerminalPhase(prev.status.phase) && !isTerminalPhase(status.phase)) status = { ...status, phase: prev.status.phase };
    const text = project(status);
    if (prev?.posted && project(prev.status) === text) return;
    if (!prev && project(pod.status) === text) {
      this.entries.set(id.uid, { status, posted: true, namespace: id.namespace, name: id.name });
      return;
    }
    this.entries.set(id.uid, { status, posted: false, namespace: id.namespace, name: id.name });
    if (!this.flushing.has(id.uid)) {
      this.flushing.set(
        id.uid,
        this.flush(id.uid).finally(() => this.flushing.delete(id.uid)),
      );
    }
  }

  /** Resolves when the pod's post in flight, if any, has ended. */
  async settled(uid: string): Promise<void> {
    await this.flushing.get(uid);
  }

  /** Resolves when no post is in flight. */
  async idle(): Promise<void> {
    while (this.flushing.size > 0) await Promise.all([...this.flushing.values()]);
  }

  /** Posts the pod's status again (its mirror pod is new). */
  repost(uid: string): void {
    const entry = this.entries.get(uid);
    if (!entry) return;
    // a new entry: a post in flight (to the old mirror) then loops to post it again
    this.entries.set(uid, { ...entry, posted: false });
    if (!this.flushing.has(uid)) this.flushing.set(uid, this.flush(uid).finally(() => this.flushing.delete(uid)));
  }

  forget(uid: string): void {
    this.entries.delete(uid);
  }

  private async flush(uid: string): Promise<void> {
    for (;;) {
      const entry = this.entries.get(uid);
      if (!entry || entry.posted) return;
      const target = this.resolveUid(uid);
      if (target === undefined) return;
      try {
        await this.api.patchPodStatus(entry.namespace, entry.name, target, entry.status);
        // a newer status may have replaced the entry meanwhile: loop posts it
        if (this.entries.get(uid) === entry) {
          entry.posted = true;
          return;
        }
      } catch (err) {
        if (!isNotFound(err)) this.logger.warn('failed to update pod status', { pod: `${entry.namespace}/${entry.name}`, error: err as Error });
        // left unposted: the next set() (every resync) tries again
        return;
      }
    }
  }
}
