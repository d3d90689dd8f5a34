// Exponential backoff with jitter (client-go's wait.Backoff): initial, initial·factor, … capped at
// max; each delay is stretched by up to `jitter` of itself at random. Randomness is injected.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Growth per step; default 2. */
  factor?: number;
  /** Adds up to jitter·delay at random; default 0.1. */
  jitter?: number;
  /** A source of [0, 1) numbers; default Math.random. */
  random?: () => number;
}

export class Backoff {
  private current: number;
  private steps = 0;
  readonly options: Required<BackoffOptions>;

  constructor(options: BackoffOptions) {
    this.options = { factor: 2, jitter: 0.1, random: Math.random, ...options };
    this.current = options.initialMs;
  }

  /** The next delay in ms (and advances the sequence). */
  next(): number {
    const base = Math.min(this.current, this.options.maxMs);
    this.current = Math.min(this.current * this.options.factor, this.options.maxMs);
    this.steps++;
    const jittered = base + base * this.options.jitter * this.options.random();
    return Math.round(Math.min(jittered, this.options.maxMs * (1 + this.options.jitter)));
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.steps;
  }

  reset(): void {
    this.current = this.options.initialMs;
    this.steps = 0;
  }
}
