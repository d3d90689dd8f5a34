// Time, injected: the Clock interface every component takes instead of calling Date.now() or
// setTimeout directly, the real clock, and a fake clock that tests step forward.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms milliseconds. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Runs fn every ms milliseconds until cancelled. */
  setInterval(fn: () => void, ms: number): Timer;
  /** Resolves after ms milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The system clock. Its timers are unref'd unless keepAlive is set: a component's background
 *  timer must not keep a finished process alive, but a test awaiting only a timer needs one that does. */
export function systemClock(options: { keepAlive?: boolean } = {}): Clock {
  const hold = <T extends { unref?: () => unknown }>(t: T): T => {
    if (!options.keepAlive) t.unref?.();
    return t;
  };
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const t = hold(setTimeout(fn, ms));
      return { cancel: () => clearTimeout(t) };
    },
    setInterval(fn, ms) {
      const t = hold(setInterval(fn, ms));
      return { cancel: () => clearInterval(t) };
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export const realClock: Clock = systemClock();

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  every?: number;
  cancelled: boolean;
}

/** A clock that only moves when a test calls step(); timers fire in time order. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(resolve, ms));
  }

  /** Moves time forward by ms, firing due timers in order (awaiting their microtasks). */
  async step(ms: number): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      const next = this.queue
        .filter((s) => !s.cancelled && s.at <= until)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.every) next.at += next.every;
      else next.cancelled = true;
      next.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.queue = this.queue.filter((s) => !s.cancelled);
    this.current = until;
  }

  /** Number of timers still waiting. */
  pending(): number {
    return this.queue.filter((s) => !s.cancelled).length;
  }

  private schedule(fn: () => void, ms: number, every?: number): Timer {
    const entry: Scheduled = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, every, cancelled: false };
    this.queue.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }
}
