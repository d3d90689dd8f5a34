// The rate-limiting queue controllers use (client-go's TypedRateLimitingQueue): addRateLimited
// re-adds a failed key after the rate limiter's delay; forget() clears its failure history once
// it succeeds (or is dropped); numRequeues() tells how often it has failed in a row.

import { DelayingQueue } from './delaying-queue.js';
import type { QueueOptions } from './queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Default: defaultControllerRateLimiter on the queue's clock. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T extends {}> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds `item` once the rate limiter says it may be retried. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Stops tracking `item`'s failures; the next failure starts the backoff afresh. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
