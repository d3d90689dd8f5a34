// A token bucket on an injected clock, with the semantics of Go's golang.org/x/time/rate.Limiter
// that client-go builds on (the client's request limiter and the work queue's rate limiter): tokens refill at `qps` per second up to `burst`; reserve() always
// takes a token (the balance may go negative) and says how long the caller must wait for it;
// tryAccept() takes one only if one is there.

import type { Clock } from './clock.js';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(qps > 0)) throw new Error(`token bucket qps must be positive, got ${qps}`);
    if (!(burst >= 1)) throw new Error(`token bucket burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token and returns the milliseconds until it is really available (0: now). */
  reserve(): number {
    this.advance();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Gives back a reserved token that was not used (e.g. its caller gave up waiting). */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Takes a token if one is available now. */
  tryAccept(): boolean {
    this.advance();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens available now (may be negative after reservations). */
  available(): number {
    this.advance();
    return this.tokens;
  }

  private advance(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    }
    this.last = Math.max(this.last, now);
  }
}
