// The kubelet's eviction manager loop: every monitoring period (10 s) it observes the eviction
// signals and updates the pressure conditions the node reports; it answers pod admission under
// pressure. Stopping it ends the loop.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { AdmitResult } from '../admission.js';
import { admitUnderPressure } from './admit.js';
import type { SignalObserver } from './host-signals.js';
import { PressureTracker, type PressureState } from './pressure.js';
import type { PressureCondition, Threshold } from './thresholds.js';

export const DEFAULT_EVICTION_MONITORING_MS = 10_000;
const CONDITION_ORDER: readonly PressureCondition[] = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface EvictionManagerOptions {
  thresholds: readonly Threshold[];
  observe: SignalObserver;
  clock: Clock;
  logger: Logger;
  /** --eviction-pressure-transition-period (5 min by default). */
  transitionMs?: number;
  monitoringMs?: number;
  /** Called after each synchronize with the new state (eviction hooks here). */
  onSynchronize?: (state: PressureState) => void | Promise<void>;
}

export class EvictionManager {
  private readonly tracker: PressureTracker;
  private timer: Timer | undefined;

  constructor(private readonly o: EvictionManagerOptions) {
    this.tracker = new PressureTracker(o.thresholds, o.clock, o.transitionMs);
  }

  /** Observes once now, then every monitoring period. */
  start(): void {
    this.synchronize();
    this.timer = this.o.clock.setInterval(() => this.synchronize(), this.o.monitoringMs ?? DEFAULT_EVICTION_MONITORING_MS);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One observation: signals → thresholds met → conditions. */
  synchronize(): PressureState {
    const before = this.conditions();
    let observations;
    try {
      observations = this.o.observe();
    } catch (err) {
      this.o.logger.warn('eviction manager: unable to observe signals', { error: err as Error });
      return this.tracker.state;
    }
    const state = this.tracker.update(observations);
    const after = this.conditions();
    if (before.join() !== after.join()) {
      this.o.logger.info('eviction manager: node conditions changed', { conditions: after.join(',') || 'none', met: state.met.map((t) => `${t.signal}<${t.text}`).join(',') });
    }
    const hook = this.o.onSynchronize?.(state);
    if (hook) hook.catch((err: unknown) => this.o.logger.warn('eviction manager: eviction failed', { error: err as Error }));
    return state;
  }

  /** The pressure conditions in force, in the kubelet's order. */
  conditions(): PressureCondition[] {
    const set = this.tracker.state.conditions;
    return CONDITION_ORDER.filter((c) => set.has(c));
  }

  isUnderPressure(condition: PressureCondition): boolean {
    return this.tracker.state.conditions.has(condition);
  }

  /** The eviction admit handler's verdict for a new pod. */
  admit(pod: Pod): AdmitResult {
    return admitUnderPressure(pod, this.conditions());
  }
}
