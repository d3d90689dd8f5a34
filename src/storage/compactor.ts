// Periodic compaction, as kube-apiserver runs it: at each tick, compact to the revision seen at
// the previous tick, so every watcher has a whole interval of history to catch up from.

import type { Clock, Timer } from '../util/clock.js';
import type { Backend } from './backend.js';

export interface CompactorOptions {
  clock: Clock;
  intervalMs: number;
  /** Reports a failed compaction; the next tick tries again. */
  onError?: (err: unknown) => void;
  /** Reports each compaction done. */
  onCompacted?: (revision: number) => void;
}

export class Compactor {
  private previous = 0;
  private running: Promise<void> = Promise.resolve();
  private timer?: Timer;

  constructor(
    private readonly backend: Backend,
    private readonly options: CompactorOptions,
  ) {}

  start(): this {
    this.timer ??= this.options.clock.setInterval(() => void this.tick(), this.options.intervalMs);
    return this;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One round: compact to the revision the previous round saw, then remember the current one. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const current = await this.backend.currentRevision();
        if (this.previous > 0) {
          await this.backend.compact(this.previous);
          this.options.onCompacted?.(this.previous);
        }
        this.previous = current;
      } catch (err) {
        this.options.onError?.(err);
      }
    });
    return this.running;
  }

  /** Resolves when the round in progress (if any) is done. */
  idle(): Promise<void> {
    return this.running;
  }
}
