// The DaemonSet controller's failedPodsBackoff (flowcontrol.Backoff, 1 s doubling to 15 min, per
// DaemonSet and node): a failed daemon pod is deleted and replaced at once the first time, then
// only after the delay, so a pod that always fails does not turn into a hot create/delete loop.
// An entry left alone for twice the maximum starts again from the initial delay.

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

export class FailedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  /** The time left before the key may act again (0: not backing off). */
  remaining(key: string, now: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lastUpdate + e.delayMs - now);
  }

  /** Records an action now: the next one waits twice as long (capped). */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    const expired = !e || now - e.lastUpdate > 2 * this.maxMs;
    this.entries.set(key, { delayMs: expired ? this.initialMs : Math.min(e.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  /** Forgets entries idle for twice the maximum (GC). */
  gc(now: number): void {
    for (const [key, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(key);
  }
}
