// Which pressure conditions the node has (the eviction manager's synchronize, its condition half):
// the thresholds observed (met.ts: crossed now, soft ones from the first observation on, before
// their grace period, and met ones not yet reclaimed), each mapped to its node condition; a
// condition stays on for the pressure transition period after it was last observed, so the node
// does not oscillate in and out of pressure (--eviction-pressure-transition-period, 5 min by default).

import type { Clock } from '../../util/clock.js';
import { ThresholdTracker } from './met.js';
import { conditionOf, type Observations, type PressureCondition, type Threshold } from './thresholds.js';

export const DEFAULT_PRESSURE_TRANSITION_MS = 5 * 60_000;

export interface PressureState {
  /** The thresholds met (their grace period over): what eviction acts on. */
  met: Threshold[];
  /** The thresholds observed (crossed, or not yet reclaimed), whether or not their grace period is over. */
  observed: Threshold[];
  /** The node conditions in force (observed now, or within the transition period). */
  conditions: ReadonlySet<PressureCondition>;
  observations: Observations;
}

export class PressureTracker {
  private readonly tracker: ThresholdTracker;
  private readonly lastObservedAt = new Map<PressureCondition, number>();
  private current: PressureState = { met: [], observed: [], conditions: new Set(), observations: {} };

  constructor(
    thresholds: readonly Threshold[],
    private readonly clock: Clock,
    private readonly transitionMs = DEFAULT_PRESSURE_TRANSITION_MS,
  ) {
    this.tracker = new ThresholdTracker(thresholds);
  }

  get state(): PressureState {
    return this.current;
  }

  /** Takes new observations and returns the state they lead to. */
  update(observations: Observations): PressureState {
    const now = this.clock.now();
    const { observed, met } = this.tracker.update(observations, now);
    for (const t of observed) this.lastObservedAt.set(conditionOf(t.signal), now);
    // what is observed now is on even with a zero transition period
    const conditions = new Set<PressureCondition>(observed.map((t) => conditionOf(t.signal)));
    for (const [condition, at] of this.lastObservedAt) {
      if (now - at < this.transitionMs) conditions.add(condition);
      else this.lastObservedAt.delete(condition);
    }
    this.current = { met, observed, conditions, observations };
    return this.current;
  }
}
