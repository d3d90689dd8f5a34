// Leader election (client-go's leaderelection.LeaderElector). Candidates race for one lock; the
// holder renews it every retryPeriod and gives up leading if it cannot renew within renewDeadline.
// Another candidate takes the lock only when it is free (released) or when the record has not
// changed for leaseDuration as measured by the candidate's own clock since it last saw it change —
// never by comparing its clock with the holder's timestamps — so clock skew cannot cause two
// leaders. Writes are compare-and-swap on resourceVersion.

import { isNotFound } from '../../api/status-predicates.js';
import { messageOf } from '../../api/status.js';
import type { Clock, Timer } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { silentLogger } from '../../util/log.js';
import type { ResourceLock } from './lease-lock.js';
import type { LeaderElectionRecord } from './record.js';

/** Jitter applied to the retry period while acquiring (client-go's JitterFactor). */
export const JITTER_FACTOR = 1.2;

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

export interface LeaderCallbacks {
  /**
   * Called when this candidate starts leading. The signal aborts when leadership is lost or the
   * elector is stopped; the work it guards must stop then. A returned promise is not awaited.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when this candidate stops leading (only after onStartedLeading). */
  onStoppedLeading?(): void;
  /** Called when the observed leader changes, including to this candidate. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  /** How long non-leaders wait after the last observed change before taking over (15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a renewal before it gives up leading (10 s). */
  renewDeadlineMs?: number;
  /** How long to wait between attempts (2 s). */
  retryPeriodMs?: number;
  callbacks: LeaderCallbacks;
  /** Release the lock when run()'s signal aborts, so another candidate takes over at once. */
  releaseOnCancel?: boolean;
  /** The election's name, for logs and health checks. */
  name?: string;
  clock?: Clock;
  /** Uniform [0, 1), for the acquire loop's jitter. */
  random?: () => number;
  logger?: Logger;
}

/** Sleeps on the clock; resolves early (false) if the signal aborts. */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let timer: Timer | undefined = undefined;
    const onAbort = () => {
      timer?.cancel();
      resolve(false);
    };
    timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class LeaderElector {
  readonly lock: ResourceLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly callbacks: LeaderCallbacks;
  private readonly releaseOnCancel: boolean;
  readonly name: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;

  private observedRecord: LeaderElectionRecord | undefined;
  private observedRawRecord = '';
  /** Local clock time when the observed record last changed (or was written by us). */
  private observedTime = 0;
  private reportedLeader = '';
  private running = false;
  /** The attempt last started; release waits for it so a late renewal cannot overwrite the release. */
  private inflight: Promise<boolean> = Promise.resolve(true);

  constructor(config: LeaderElectionConfig) {
    this.lock = config.lock;
    this.leaseDurationMs = config.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    this.callbacks = config.callbacks;
    this.releaseOnCancel = config.releaseOnCancel ?? false;
    this.name = config.name ?? config.lock.describe();
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
    this.log = config.logger ?? silentLogger;

    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.leaseDurationMs < 1000) throw new Error('leaseDuration must be at least one second');
    if (this.retryPeriodMs <= 0) throw new Error('retryPeriod must be greater than zero');
    if (!this.lock.identity()) throw new Error('Lock identity is empty');
  }

  /**
   * Campaigns until this candidate leads, leads until it fails to renew or `signal` aborts, then
   * returns (releasing the lock first if releaseOnCancel). Call once per elector.
   */
  async run(signal?: AbortSignal): Promise<void> {
    if (this.running) throw new Error('leader elector is already running');
    this.running = true;
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      try {
        const started = this.callbacks.onStartedLeading(leading.signal);
        if (started instanceof Promise) started.catch((err: unknown) => this.log.error('onStartedLeading failed', { error: messageOf(err) }));
      } catch (err) {
        this.log.error('onStartedLeading failed', { error: messageOf(err) });
      }
      try {
        await this.renew(signal);
      } finally {
        leading.abort();
        if (this.releaseOnCancel) await this.release();
        try {
          this.callbacks.onStoppedLeading?.();
        } catch (err) {
          this.log.error('onStoppedLeading failed', { error: messageOf(err) });
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Whether the last observed record names this candidate as the holder. */
  isLeader(): boolean {
    return this.observedRecord?.holderIdentity === this.lock.identity();
  }

  /** The identity of the last observed holder ("" if none). */
  getLeader(): string {
    return this.observedRecord?.holderIdentity ?? '';
  }

  /** The last observed record (a copy). */
  getObservedRecord(): LeaderElectionRecord | undefined {
    return this.observedRecord ? { ...this.observedRecord } : undefined;
  }

  /**
   * A health check for the leader (client-go's Check): an error if this candidate believes it leads
   * but has not renewed for longer than the lease duration plus `maxTolerableExpiredMs`.
   */
  check(maxTolerableExpiredMs: number): Error | undefined {
    if (!this.isLeader()) return undefined;
    if (this.clock.now() - this.observedTime > this.leaseDurationMs + maxTolerableExpiredMs) {
      return new Error(`failed election to renew leadership on lease ${this.name}`);
    }
    return undefined;
  }

  /** Tries every retryPeriod (jittered) until it holds the lock; false if the signal aborted. */
  private async acquire(signal: AbortSignal | undefined): Promise<boolean> {
    const desc = this.lock.describe();
    this.log.info('attempting to acquire leader lease', { lease: desc });
    while (!signal?.aborted) {
      // A request that hangs must not keep run() from returning once the signal aborts.
      const succeeded = await this.raceAbort(this.attempt(), signal);
      if (succeeded === undefined) break;
      this.maybeReportTransition();
      if (succeeded) {
        // Even if the signal aborted meanwhile: run() then releases what we just took.
        this.lock.recordEvent('became leader');
        this.log.info('successfully acquired lease', { lease: desc });
        return true;
      }
      const jittered = this.retryPeriodMs + this.random() * JITTER_FACTOR * this.retryPeriodMs;
      if (!(await sleep(this.clock, jittered, signal))) break;
    }
    return false;
  }

  /** Renews every retryPeriod until a renewal fails to succeed within renewDeadline, or the signal aborts. */
  private async renew(signal: AbortSignal | undefined): Promise<void> {
    while (!signal?.aborted) {
      const renewed = await this.renewWithinDeadline(signal);
      this.maybeReportTransition();
      if (!renewed) {
        if (signal?.aborted) break;
        this.lock.recordEvent('stopped leading');
        this.log.info('failed to renew lease', { lease: this.lock.describe(), error: 'timed out waiting for the condition' });
        break;
      }
      if (!(await sleep(this.clock, this.retryPeriodMs, signal))) break;
    }
  }

  /** PollImmediateUntil(retryPeriod, tryAcquireOrRenew) bounded by renewDeadline. */
  private async renewWithinDeadline(signal: AbortSignal | undefined): Promise<boolean> {
    const deadline = this.clock.now() + this.renewDeadlineMs;
    const deadlineAbort = new AbortController();
    const timer = this.clock.setTimeout(() => deadlineAbort.abort(), this.renewDeadlineMs);
    const onAbort = () => deadlineAbort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (deadlineAbort.signal.aborted) return false;
        const attempt = this.attempt();
        const outcome = await Promise.race([
          attempt,
          new Promise<false>((resolve) => {
            if (deadlineAbort.signal.aborted) resolve(false);
            deadlineAbort.signal.addEventListener('abort', () => resolve(false), { once: true });
          }),
        ]);
        if (outcome) return true;
        const left = deadline - this.clock.now();
        if (left <= 0 || deadlineAbort.signal.aborted) return false;
        if (!(await sleep(this.clock, Math.min(this.retryPeriodMs, left), deadlineAbort.signal))) return false;
      }
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Starts one attempt and remembers it as the one in flight. */
  private attempt(): Promise<boolean> {
    this.inflight = this.tryAcquireOrRenew();
    return this.inflight;
  }

  /**
   * One attempt (client-go's tryAcquireOrRenew): take or renew the lock if it is ours, free, or
   * unchanged for longer than its lease duration. Never throws.
   */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.lock.identity(),
      leaseDurationSeconds: Math.floor(this.leaseDurationMs / 1000),
      renewTime: now,
      acquireTime: now,
      leaderTransitions: 0,
    };

    // 1. Fast path: the leader writes over the lease it last wrote, without reading it first.
    const observed = this.observedRecord;
    if (observed && this.isLeader() && this.isLeaseValid(now)) {
      desired.acquireTime = observed.acquireTime;
      desired.leaderTransitions = observed.leaderTransitions;
      try {
        await this.lock.update(desired);
        this.setObservedRecord(desired);
        return true;
      } catch (err) {
        this.log.warn('failed to update lease optimistically, falling back to slow path', { error: messageOf(err) });
      }
    }

    // 2. Read the lock, creating it if it does not exist.
    let current: { record: LeaderElectionRecord; raw: string };
    try {
      current = await this.lock.get();
    } catch (err) {
      if (!isNotFound(err)) {
        this.log.error('error retrieving resource lock', { lease: this.lock.describe(), error: messageOf(err) });
        return false;
      }
      try {
        await this.lock.create(desired);
      } catch (createErr) {
        this.log.error('error initially creating leader election record', { error: messageOf(createErr) });
        return false;
      }
      this.setObservedRecord(desired);
      return true;
    }

    // 3. The record exists: note when it last changed, and back off if someone else holds it.
    if (this.observedRawRecord !== current.raw) {
      this.setObservedRecord(current.record);
      this.observedRawRecord = current.raw;
    }
    if (current.record.holderIdentity !== '' && this.isLeaseValid(now) && !this.isLeader()) {
      this.log.debug('lock is held and has not yet expired', { holder: current.record.holderIdentity });
      return false;
    }

    // 4. Free, expired or ours: write our record (compare-and-swap on the version we read).
    if (this.isLeader()) {
      desired.acquireTime = current.record.acquireTime;
      desired.leaderTransitions = current.record.leaderTransitions;
    } else {
      desired.leaderTransitions = current.record.leaderTransitions + 1;
    }
    try {
      await this.lock.update(desired);
    } catch (err) {
      this.log.error('failed to update lock', { error: messageOf(err) });
      return false;
    }
    this.setObservedRecord(desired);
    return true;
  }

  /**
   * Gives the lock up (holder "", lease 1 s) if we hold it; client-go's release. A renewal still in
   * flight when leading stopped is waited for first: written after the release, it would take the
   * lock back (or make the release fail on a stale resourceVersion).
   */
  private async release(): Promise<boolean> {
    // Bounded by the renew deadline, as client-go's release is, so a dead server cannot hold up shutdown.
    const timeout = new AbortController();
    const timer = this.clock.setTimeout(() => timeout.abort(), this.renewDeadlineMs);
    try {
      if ((await this.raceAbort(this.inflight, timeout.signal)) === undefined) throw new Error('timed out waiting for the last renewal');
      if (!this.isLeader()) return true;
      const now = this.clock.now();
      const record: LeaderElectionRecord = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: now,
        acquireTime: now,
        leaderTransitions: this.observedRecord?.leaderTransitions ?? 0,
      };
      const done = await this.raceAbort(this.lock.update(record).then(() => true), timeout.signal);
      if (done === undefined) throw new Error('timed out');
      this.setObservedRecord(record);
      return true;
    } catch (err) {
      this.log.error('failed to release lock', { error: messageOf(err) });
      return false;
    } finally {
      timer.cancel();
    }
  }

  /** The promise's value, or undefined as soon as the signal aborts. */
  private raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
    if (!signal) return promise;
    if (signal.aborted) {
      promise.catch(() => {});
      return Promise.resolve(undefined);
    }
    return new Promise<T | undefined>((resolve, reject) => {
      const onAbort = () => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  private isLeaseValid(now: number): boolean {
    const seconds = this.observedRecord?.leaseDurationSeconds ?? 0;
    return this.observedTime + seconds * 1000 > now;
  }

  private setObservedRecord(record: LeaderElectionRecord): void {
    this.observedRecord = { ...record };
    this.observedTime = this.clock.now();
  }

  private maybeReportTransition(): void {
    const holder = this.observedRecord?.holderIdentity ?? '';
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (!this.callbacks.onNewLeader) return;
    try {
      this.callbacks.onNewLeader(holder);
    } catch (err) {
      this.log.error('onNewLeader failed', { error: messageOf(err) });
    }
  }
}
