// Container restart backoff (the kubelet's flowcontrol.Backoff for CrashLoopBackOff): per
// container key, the first restart is immediate, then each one waits the current delay after
// the container finished, doubling from initialMs up to maxMs; a key left alone for resetMs
// starts over.

import type { Clock } from '../util/clock.js';

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export interface BackoffOptions {
  clock: Clock;
  initialMs: number;
  maxMs: number;
  resetMs: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: BackoffOptions) {}

  /** The remaining wait in ms when a container that finished at finishedAt may not restart yet, else 0. */
  remaining(key: string, finishedAt: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const now = this.o.clock.now();
    if (now - e.lastUpdate > this.o.resetMs) return 0;
    return Math.max(0, finishedAt + e.delayMs - now);
  }

  /** The current delay for the key (for messages: "back-off 20s restarting failed container"). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records a restart: the next one waits longer. */
  next(key: string): void {
    const now = this.o.clock.now();
    const e = this.entries.get(key);
    const delayMs = !e || now - e.lastUpdate > this.o.resetMs ? this.o.initialMs : Math.min(e.delayMs * 2, this.o.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
  }

  /** Forgets every key with this prefix (a pod that went away). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** "10s", "1m20s", "5m0s": Go's time.Duration text for whole seconds, as in the kubelet's message. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
}
