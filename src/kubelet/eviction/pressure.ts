// Which pressure conditions the node has (the eviction manager's synchronize, its condition half):
// the thresholds the latest observations cross, each mapped to its node condition; a condition
// stays on for the pressure transition period after it was last observed, so the node does not
// oscillate in and out of pressure (--eviction-pressure-transition-period, 5 min by default).

import type { Clock } from '../../util/clock.js';
import { conditionOf, crosses, type Observations, type PressureCondition, type Threshold } from './thresholds.js';

export const DEFAULT_PRESSURE_TRANSITION_MS = 5 * 60_000;

export interface PressureState {
  /** The thresholds the last observations crossed. */
  met: Threshold[];
  /** The node conditions in force (met now, or within the transition period). */
  conditions: ReadonlySet<PressureCondition>;
  observations: Observations;
}

export class PressureTracker {
  private readonly lastObservedAt = new Map<PressureCondition, number>();
  private current: PressureState = { met: [], conditions: new Set(), observations: {} };

  constructor(
    private readonly thresholds: readonly Threshold[],
    private readonly clock: Clock,
    private readonly transitionMs = DEFAULT_PRESSURE_TRANSITION_MS,
  ) {}

  get state(): PressureState {
    return this.current;
  }

  /** Takes new observations and returns the state they lead to. */
  update(observations: Observations): PressureState {
    const now = this.clock.now();
    const met = this.thresholds.filter((t) => crosses(t, observations[t.signal]));
    for (const t of met) this.lastObservedAt.set(conditionOf(t.signal), now);
    // what is met now is on even with a zero transition period
    const conditions = new Set<PressureCondition>(met.map((t) => conditionOf(t.signal)));
    for (const [condition, at] of this.lastObservedAt) {
      if (now - at < this.transitionMs) conditions.add(condition);
      else this.lastObservedAt.delete(condition);
    }
    this.current = { met, conditions, observations };
    return this.current;
  }
}
