// Which thresholds are observed and which are met (the eviction manager's synchronize, its
// threshold half): observed are those the latest observations cross, plus those met last period
// whose signal has not yet recovered past threshold + minimum reclaim (thresholdsMet with
// enforceMinReclaim); each is remembered from when it was first observed (thresholdsFirstObservedAt)
// and is met once observed for its grace period (thresholdsMetGracePeriod: hard thresholds at once,
// soft ones after --eviction-soft-grace-period). A threshold no longer observed is forgotten, so its
// grace period starts over the next time it is crossed.

import { crosses, type Observations, type Threshold } from './thresholds.js';

export interface ThresholdsState {
  /** Crossed now, or met and not yet reclaimed: what drives the node conditions. */
  observed: Threshold[];
  /** Observed for at least their grace period: what drives eviction. */
  met: Threshold[];
}

export class ThresholdTracker {
  private firstObservedAt = new Map<Threshold, number>();
  private met: readonly Threshold[] = [];

  constructor(private readonly thresholds: readonly Threshold[]) {}

  /** Takes the observations made at `now` (ms). */
  update(observations: Observations, now: number): ThresholdsState {
    const observed = this.thresholds.filter((t) => crosses(t, observations[t.signal]) || (this.met.includes(t) && crosses(t, observations[t.signal], true)));
    const firstObservedAt = new Map<Threshold, number>();
    for (const t of observed) firstObservedAt.set(t, this.firstObservedAt.get(t) ?? now);
    const met = observed.filter((t) => now - firstObservedAt.get(t)! >= (t.gracePeriodMs ?? 0));
    this.firstObservedAt = firstObservedAt;
    this.met = met;
    return { observed, met };
  }

  /** When a threshold observed now was first observed (undefined if it is not observed). */
  observedSince(threshold: Threshold): number | undefined {
    return this.firstObservedAt.get(threshold);
  }
}
