// One probe worker: the periodic runs of one probe (startup, liveness or readiness) of one
// container, as pkg/kubelet/prober/worker.go. It ticks initialDelaySeconds after the container's
// start (at once for a container found running long since) and then every periodSeconds (skipping a tick while a run is in flight),
// counts consecutive equal results, and records a result only once successThreshold successes or
// failureThreshold failures are reached. A recorded liveness/startup failure puts the worker on
// hold until the container is replaced. Unknown (errored) runs are discarded.

import type { Probe } from 'kubernetes-types/core/v1.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { ProbeKind, ProbeOutcome, ProbeResult } from './types.js';

export type RecordedResult = Exclude<ProbeResult, 'Unknown'>;

export interface WorkerHooks {
  clock: Clock;
  /** Runs the probe once against the current container. */
  run(probe: Probe): Promise<ProbeOutcome>;
  /** Whether the worker may probe now (liveness/readiness wait for startup). */
  enabled(): boolean;
  /** Called when the recorded result changes. */
  recorded(result: RecordedResult): void;
  /** Called after every completed run (events). */
  ran(outcome: ProbeOutcome): void;
}

export class ProbeWorker {
  /** The recorded result; undefined until the first one (startup), or the kind's initial value. */
  result: RecordedResult | undefined;
  private lastResult: ProbeResult | undefined;
  private resultRun = 0;
  private onHold = false;
  private busy = false;
  private timers: Timer[] = [];
  private generation = 0;

  constructor(
    readonly kind: ProbeKind,
    readonly probe: Probe,
    private readonly hooks: WorkerHooks,
  ) {
    this.result = initialResult(kind);
  }

  /** A new container started (at startedAt, default now): reset; the first tick comes initialDelaySeconds after its start. */
  start(startedAt?: number): void {
    this.stop();
    this.generation++;
    this.result = initialResult(this.kind);
    this.lastResult = undefined;
    this.resultRun = 0;
    this.onHold = false;
    this.busy = false;
    const clock = this.hooks.clock;
    const initialDelay = Math.max(0, this.probe.initialDelaySeconds ?? 0) * 1000;
    const delay = Math.max(0, (startedAt ?? clock.now()) + initialDelay - clock.now());
    const period = Math.max(1, this.probe.periodSeconds ?? 10) * 1000;
    this.timers.push(
      clock.setTimeout(() => {
        this.tick();
        this.timers.push(clock.setInterval(() => this.tick(), period));
      }, delay),
    );
  }

  /** Stops ticking (container gone, pod removed). */
  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.generation++;
  }

  /** Whether the worker is past its initial delay and ticking (manual triggers only then). */
  private get ticking(): boolean {
    return this.timers.length > 1;
  }

  /** Runs a probe now if ticking (readiness right after startup succeeds). */
  trigger(): void {
    if (this.ticking) this.tick();
  }

  /** Sets the recorded result directly (container stopped, pod terminating). */
  set(result: RecordedResult): void {
    if (this.result === result) return;
    this.result = result;
    this.hooks.recorded(result);
  }

  private tick(): void {
    if (this.busy || this.onHold || !this.hooks.enabled()) return;
    this.busy = true;
    const generation = this.generation;
    void this.hooks
      .run(this.probe)
      .then((outcome) => {
        if (generation !== this.generation) return;
        this.hooks.ran(outcome);
        this.observe(outcome.result);
      })
      .finally(() => {
        if (generation === this.generation) this.busy = false;
      });
  }

  private observe(result: ProbeResult): void {
    if (result === 'Unknown') return;
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const failureThreshold = this.probe.failureThreshold ?? 3;
    const successThreshold = this.probe.successThreshold ?? 1;
    if ((result === 'Failure' && this.resultRun < failureThreshold) || (result === 'Success' && this.resultRun < successThreshold)) return;
    this.set(result);
    if ((this.kind === 'liveness' || this.kind === 'startup') && result === 'Failure') {
      this.onHold = true;
      this.resultRun = 0;
    }
  }
}

function initialResult(kind: ProbeKind): RecordedResult | undefined {
  if (kind === 'readiness') return 'Failure';
  if (kind === 'liveness') return 'Success';
  return undefined;
}
