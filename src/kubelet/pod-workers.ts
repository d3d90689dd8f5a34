// Pod workers: work is serialized per pod UID — at most one sync of a pod in flight; updates that
// arrive meanwhile coalesce into one more sync after it (the sync reads the latest pod). Delayed
// requeues (a backoff expiring) keep only the earliest timer per pod.

import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';

export class PodWorkers {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private stopped = false;

  constructor(
    private readonly work: (uid: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Syncs the pod now, or right after the sync in flight. */
  enqueue(uid: string): void {
    if (this.stopped) return;
    if (this.running.has(uid)) {
      this.dirty.add(uid);
      return;
    }
    const loop = (async () => {
      do {
        this.dirty.delete(uid);
        try {
          await this.work(uid);
        } catch (err) {
          this.logger.warn('pod sync failed', { uid, error: err as Error });
        }
      } while (this.dirty.has(uid) && !this.stopped);
    })().finally(() => this.running.delete(uid));
    this.running.set(uid, loop);
  }

  /** Syncs the pod after ms (an earlier pending request wins). */
  enqueueAfter(uid: string, ms: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + ms;
    const existing = this.timers.get(uid);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(uid);
      this.enqueue(uid);
    }, ms);
    this.timers.set(uid, { at, timer });
  }

  busy(): boolean {
    return this.running.size > 0;
  }

  isWorking(uid: string): boolean {
    return this.running.has(uid);
  }

  forget(uid: string): void {
    this.timers.get(uid)?.timer.cancel();
    this.timers.delete(uid);
  }

  /** Resolves when no sync is in flight. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    await this.idle();
  }
}
