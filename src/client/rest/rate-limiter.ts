// Client-side rate limiting (client-go's flowcontrol.NewTokenBucketRateLimiter): a bucket of
// `burst` tokens refilled at `qps` per second. Each request takes one token; when the bucket is
// empty, callers queue in arrival order and each waits until its own token has accrued, so the
// sustained rate never exceeds qps. Time comes from the injected clock.

import type { Clock } from '../../util/clock.js';
import { TokenBucket } from '../../util/token-bucket.js';
import { sleep } from './sleep.js';

export interface RateLimiter {
  /** Waits for a token (rejects with an AbortError if the signal aborts; the token is given back). */
  wait(signal?: AbortSignal): Promise<void>;
  /** Takes a token if one is available now, without waiting. */
  tryAccept(): boolean;
  /** Requests per second this limiter allows (Infinity when it does not limit). */
  readonly qps: number;
}

export class TokenBucketRateLimiter implements RateLimiter {
  readonly qps: number;
  readonly burst: number;
  private readonly bucket: TokenBucket;

  constructor(private readonly options: { qps: number; burst: number; clock: Clock }) {
    if (!(options.qps > 0)) throw new RangeError('qps must be positive (use unlimitedRateLimiter to disable limiting)');
    this.qps = options.qps;
    this.burst = Math.max(1, Math.floor(options.burst));
    this.bucket = new TokenBucket(this.qps, this.burst, options.clock);
  }

  tryAccept(): boolean {
    return this.bucket.tryAccept();
  }

  /** Reserves a token and returns how long (ms) until it may be used. */
  reserve(): number {
    return this.bucket.reserve();
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.bucket.reserve();
    if (delay === 0) return;
    try {
      await sleep(this.options.clock, delay, signal);
    } catch (err) {
      this.bucket.refund(); // the reservation was not used
      throw err;
    }
  }

  /** Tokens available now (negative when callers are queued). */
  available(): number {
    return this.bucket.available();
  }
}

export const unlimitedRateLimiter: RateLimiter = {
  qps: Infinity,
  wait: (signal?: AbortSignal) => (signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()),
  tryAccept: () => true,
};

/** The limiter for a qps/burst setting: a token bucket, or none when qps <= 0. */
export function rateLimiterFor(qps: number, burst: number, clock: Clock): RateLimiter {
  return qps > 0 ? new TokenBucketRateLimiter({ qps, burst, clock }) : unlimitedRateLimiter;
}
