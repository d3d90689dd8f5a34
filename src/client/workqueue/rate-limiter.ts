// Rate limiters for re-queueing failed items, as client-go's workqueue has them: how long an item
// must wait before its next try. The default for controllers is the slower of a per-item
// exponential backoff (5 ms doubling to 1000 s) and an overall token bucket (10 qps, burst 100).

import type { Clock } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import { TokenBucket } from '../../util/token-bucket.js';

export interface RateLimiter<T> {
  /** Records a failure of `item` and returns how many milliseconds it must wait. */
  when(item: T): number;
  /** Forgets the failures of `item` (it succeeded, or was given up on). */
  forget(item: T): void;
  /** How many failures of `item` are remembered. */
  numRequeues(item: T): number;
}

/** base·2^failures per item, capped at max (client-go ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return backoff > this.maxDelayMs || !Number.isFinite(backoff) ? this.maxDelayMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** fastDelay for the first maxFastAttempts failures, slowDelay after (ItemFastSlowRateLimiter). */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** One token bucket over all items (BucketRateLimiter); it keeps no per-item state. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  readonly bucket: TokenBucket;

  constructor(qps: number, burst: number, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest wait of several limiters; every one of them records the failure (MaxOfRateLimiter). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.when(item));
    return ret;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.numRequeues(item));
    return ret;
  }
}

export const DEFAULT_BASE_DELAY_MS = 5;
export const DEFAULT_MAX_DELAY_MS = 1000 * 1000;
export const DEFAULT_QPS = 10;
export const DEFAULT_BURST = 100;

/** client-go's DefaultControllerRateLimiter: max(5 ms·2^n up to 1000 s, token bucket 10 qps burst 100). */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): MaxOfRateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS),
    new BucketRateLimiter<T>(DEFAULT_QPS, DEFAULT_BURST, clock),
  );
}
