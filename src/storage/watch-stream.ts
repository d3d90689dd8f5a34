// A push-to-pull queue: producers push events (or end it with an error); one consumer iterates
// them with for-await. The bridge between callback-driven backend watches and WatchStream.

export class EventQueue<E> implements AsyncIterable<E> {
  private buffer: E[] = [];
  private waiting?: (result: IteratorResult<E>) => void;
  private failWaiting?: (err: unknown) => void;
  private ended = false;
  private error: unknown;

  constructor(private readonly onStop: () => void = () => {}) {}

  push(event: E): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.clearWaiter();
      waiting({ value: event, done: false });
    } else {
      this.buffer.push(event);
    }
  }

  /** Ends the stream: buffered events are still delivered, then iteration throws `error` (if any). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.onStop();
    if (this.waiting && this.buffer.length === 0) this.settleEnd();
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Events pushed but not yet consumed. */
  get backlog(): number {
    return this.buffer.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => {
        if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as E, done: false });
        if (this.ended) {
          if (this.error !== undefined) {
            const err = this.error;
            this.error = undefined;
            return Promise.reject(err);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise<IteratorResult<E>>((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.end();
        this.buffer = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private clearWaiter(): void {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }

  private settleEnd(): void {
    const resolve = this.waiting;
    const reject = this.failWaiting;
    this.clearWaiter();
    if (this.error !== undefined) {
      const err = this.error;
      this.error = undefined;
      reject?.(err);
    } else {
      resolve?.({ value: undefined, done: true });
    }
  }
}
