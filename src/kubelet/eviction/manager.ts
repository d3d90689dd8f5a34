// The kubelet's eviction manager loop: every monitoring period (10 s) it observes the eviction
// signals and updates the pressure conditions the node reports (from the thresholds observed:
// crossed now — soft ones before their grace period too — or met and not yet past threshold +
// minimum reclaim). While a threshold is met (a hard one at once, a soft one once crossed for its
// grace period) it records EvictionThresholdMet on the node, for disk first frees node-level
// resources (unused images) and re-observes, evicting nothing if every threshold is then clear by
// its minimum reclaim; else it evicts one pod per period (ranked by rank.ts; critical pods never),
// without a grace period for a hard threshold or with pod-grace.ts's for a soft one, and waits for
// that eviction to finish before the next. It answers pod admission under pressure. Stopping it
// ends the loop.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { AdmitResult } from '../admission.js';
import { admitUnderPressure, isCriticalPod } from './admit.js';
import { evictionMessage } from './message.js';
import { evictionGraceSeconds } from './pod-grace.js';
import type { PodUsage } from './pod-stats.js';
import { rankForEviction } from './rank.js';
import type { SignalObserver } from './host-signals.js';
import { PressureTracker, type PressureState } from './pressure.js';
import { crosses, isHard, resourceOf, type PressureCondition, type Threshold } from './thresholds.js';

export const DEFAULT_EVICTION_MONITORING_MS = 10_000;
const CONDITION_ORDER: readonly PressureCondition[] = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface EvictionManagerOptions {
  thresholds: readonly Threshold[];
  observe: SignalObserver;
  clock: Clock;
  logger: Logger;
  /** --eviction-pressure-transition-period (5 min by default). */
  transitionMs?: number;
  /** --eviction-max-pod-grace-period: the most a soft eviction gives a pod (0, the default: the pod's own). */
  maxPodGraceSeconds?: number;
  monitoringMs?: number;
  /** Evicts pods under pressure (without it the manager only reports conditions and admits). */
  evictor?: PodEvictor;
  /** Frees node-level resources before any pod is evicted for disk (the image GC's unused images). */
  reclaimNodeLevel?: () => Promise<void>;
  /** Records a Warning event on the node (EvictionThresholdMet). */
  recordNodeEvent?: (reason: string, message: string) => void;
}

/** What eviction needs from the kubelet. */
export interface PodEvictor {
  activePods(): Pod[];
  usage(): Promise<Map<string, PodUsage>>;
  evict(pod: Pod, message: string, graceSeconds: number): Promise<void>;
}

const RECLAIM_ORDER: Record<string, number> = { memory: 0, 'ephemeral-storage': 1, inodes: 1, pids: 2 };
/** Resources the node itself can give back (reclaimNodeLevelResources) before evicting pods. */
const NODE_RECLAIMABLE = new Set(['ephemeral-storage', 'inodes']);

export class EvictionManager {
  private readonly tracker: PressureTracker;
  private timer: Timer | undefined;
  private evicting: Promise<void> | undefined;
  private running = false;

  constructor(private readonly o: EvictionManagerOptions) {
    this.tracker = new PressureTracker(o.thresholds, o.clock, o.transitionMs);
  }

  /** Observes once now, then every monitoring period. */
  start(): void {
    this.running = true;
    this.synchronize();
    this.timer = this.o.clock.setInterval(() => this.synchronize(), this.o.monitoringMs ?? DEFAULT_EVICTION_MONITORING_MS);
  }

  /** Stops the loop and waits for an eviction in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.evicting;
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
    if (state.met.length > 0 && this.o.evictor && !this.evicting && this.running) {
      this.evicting = this.evictOne(this.o.evictor, state)
        .catch((err: unknown) => this.o.logger.warn('eviction manager: eviction failed', { error: err as Error }))
        .finally(() => (this.evicting = undefined));
    }
    return state;
  }

  /** Evicts the first pod in rank for the most pressing threshold met (memory, then disk, then pids; hard before soft). */
  private async evictOne(evictor: PodEvictor, state: PressureState): Promise<void> {
    const order = (t: Threshold): number => (RECLAIM_ORDER[resourceOf(t.signal)] ?? 9) * 2 + (isHard(t) ? 0 : 1);
    const threshold = [...state.met].sort((a, b) => order(a) - order(b))[0]!;
    this.o.recordNodeEvent?.('EvictionThresholdMet', `Attempting to reclaim ${resourceOf(threshold.signal)}`);
    if (this.o.reclaimNodeLevel && NODE_RECLAIMABLE.has(resourceOf(threshold.signal)) && (await this.reclaimedEnough(this.o.reclaimNodeLevel, threshold))) return;
    const usage = await evictor.usage();
    const stats = (pod: Pod) => usage.get(pod.metadata?.uid ?? '');
    const candidates = evictor.activePods().filter((p) => !isCriticalPod(p));
    const pod = rankForEviction(candidates, threshold.signal, stats)[0];
    if (!pod) {
      this.o.logger.info('eviction manager: no pod to evict', { signal: threshold.signal });
      return;
    }
    const message = evictionMessage(pod, threshold, state.observations, stats(pod));
    const graceSeconds = evictionGraceSeconds(threshold, pod, this.o.maxPodGraceSeconds ?? 0);
    this.o.logger.info('eviction manager: evicting pod', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, signal: threshold.signal, graceSeconds });
    await evictor.evict(pod, message, graceSeconds);
  }

  /**
   * Frees node-level resources, then whether no threshold (hard or soft, whatever its grace period)
   * is still crossed by its minimum reclaim: then no pod need go.
   */
  private async reclaimedEnough(reclaim: () => Promise<void>, threshold: Threshold): Promise<boolean> {
    try {
      await reclaim();
      const observations = this.o.observe();
      const resolved = !this.o.thresholds.some((t) => crosses(t, observations[t.signal], true));
      if (resolved) this.o.logger.info('eviction manager: node-level resources reclaimed, no pod evicted', { signal: threshold.signal });
      return resolved;
    } catch (err) {
      this.o.logger.warn('eviction manager: unable to reclaim node-level resources', { error: err as Error });
      return false;
    }
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
