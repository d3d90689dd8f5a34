// The NoExecute taint manager (pkg/controller/tainteviction), as logic on an injected clock: for a
// pod on a node with NoExecute taints, a taint no toleration tolerates evicts the pod at once;
// tolerations with tolerationSeconds evict it that long after the pod was first seen on the
// tainted node (the smallest of them wins); tolerations without tolerationSeconds keep it. A
// scheduled eviction is cancelled when the taints go or the pod comes to tolerate them. Events:
// TaintManagerEviction "Marking for deletion Pod ns/name" and "Cancelling deletion of Pod ns/name".

import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../api/taints.js';
import type { Clock, Timer } from '../../util/clock.js';

export interface TaintManagerDeps {
  clock: Clock;
  /** Deletes the pod (the caller retries on failure); "ns/name". */
  evict(podKey: string): Promise<void>;
  /** Records a TaintManagerEviction event on the pod. */
  event(podKey: string, message: string): void;
  onError?(podKey: string, err: unknown): void;
}

interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

/** Whether every taint is tolerated, and the tolerations that tolerate any of them. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { all: boolean; used: Toleration[] } {
  const used = new Set<Toleration>();
  for (const taint of taints) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return { all: false, used: [] };
    for (const t of matching) used.add(t);
  }
  return { all: true, used: [...used] };
}

/** The shortest tolerationSeconds (0 for negative values); -1 when every toleration lasts forever. */
export function minTolerationSeconds(tolerations: readonly Toleration[]): number {
  let min = -1;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const s = Math.max(0, t.tolerationSeconds);
    if (min < 0 || s < min) min = s;
  }
  return min;
}

export class NoExecuteTaintManager {
  private readonly scheduled = new Map<string, Scheduled>();

  constructor(private readonly deps: TaintManagerDeps) {}

  /** Re-evaluates a pod given its node's NoExecute taints. */
  processPod(podKey: string, tolerations: readonly Toleration[], noExecuteTaints: readonly Taint[]): void {
    if (noExecuteTaints.length === 0) {
      this.cancel(podKey);
      return;
    }
    const now = this.deps.clock.now();
    const { all, used } = matchingTolerations(noExecuteTaints, tolerations);
    if (!all) {
      this.cancel(podKey, false);
      this.schedule(podKey, now, now);
      return;
    }
    const min = minTolerationSeconds(used);
    if (min < 0) {
      this.cancel(podKey);
      return;
    }
    const existing = this.scheduled.get(podKey);
    const triggerAt = now + min * 1000;
    if (existing) {
      // Already counting down since it was first seen on the tainted node.
      if (existing.createdAt + min * 1000 < triggerAt) {
        if (existing.fireAt !== existing.createdAt + min * 1000) this.reschedule(podKey, existing.createdAt, existing.createdAt + min * 1000);
        return;
      }
      this.cancel(podKey, false);
    }
    this.schedule(podKey, now, triggerAt);
  }

  /** The pod is gone (or left the node): forget it without an event. */
  forget(podKey: string): void {
    const s = this.scheduled.get(podKey);
    s?.timer.cancel();
    this.scheduled.delete(podKey);
  }

  /** When the pod's eviction is due (ms since the epoch), if one is scheduled. */
  scheduledAt(podKey: string): number | undefined {
    return this.scheduled.get(podKey)?.fireAt;
  }

  stop(): void {
    for (const s of this.scheduled.values()) s.timer.cancel();
    this.scheduled.clear();
  }

  private schedule(podKey: string, createdAt: number, fireAt: number): void {
    const timer = this.deps.clock.setTimeout(() => void this.fire(podKey), Math.max(0, fireAt - this.deps.clock.now()));
    this.scheduled.set(podKey, { createdAt, fireAt, timer });
  }

  private reschedule(podKey: string, createdAt: number, fireAt: number): void {
    this.scheduled.get(podKey)?.timer.cancel();
    this.schedule(podKey, createdAt, fireAt);
  }

  private cancel(podKey: string, withEvent = true): void {
    const s = this.scheduled.get(podKey);
    if (!s) return;
    s.timer.cancel();
    this.scheduled.delete(podKey);
    if (withEvent) this.deps.event(podKey, `Cancelling deletion of Pod ${podKey}`);
  }

  private async fire(podKey: string): Promise<void> {
    const s = this.scheduled.get(podKey);
    if (!s) return;
    this.scheduled.delete(podKey);
    this.deps.event(podKey, `Marking for deletion Pod ${podKey}`);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.deps.evict(podKey);
        return;
      } catch (err) {
        this.deps.onError?.(podKey, err);
        await this.deps.clock.sleep(10);
      }
    }
  }
}
