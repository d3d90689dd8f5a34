// The shape every control loop has (the Kubernetes controller pattern): event handlers only
// enqueue "namespace/name" keys; `reconcile(key)` reads the current state from informer caches,
// compares it with the desired state and writes through the API; it is idempotent and
// level-triggered. A rate-limited work queue (dirty and processing sets, per-key exponential
// backoff) hands each key to one worker at a time; a failed reconcile is retried with backoff.

import type { KubeObject } from '../../api/object.js';
import { messageOf } from '../../api/status.js';
import { isConflict } from '../../api/status-predicates.js';
import { metaNamespaceKeyFunc, objectOf, type DeletedFinalStateUnknown } from '../../client/informer/index.js';
import { RateLimitingQueue } from '../../client/workqueue/index.js';
import type { Logger } from '../../util/log.js';
import type { ControllerContext } from './context.js';

export interface Controller {
  /** The controller's name, as kube-controller-manager's --controllers flag names it. */
  readonly name: string;
  /** Runs until the signal aborts, then returns once its workers have finished. Caches are synced. */
  run(signal: AbortSignal): Promise<void>;
}

export interface QueueControllerOptions {
  /** Concurrent reconciles (kube-controller-manager's --concurrent-*-syncs). */
  workers?: number;
}

/** A Controller driven by one rate-limited queue of object keys. */
export abstract class QueueController implements Controller {
  protected readonly queue: RateLimitingQueue<string>;
  protected readonly log: Logger;
  private readonly workers: number;

  constructor(
    readonly name: string,
    protected readonly ctx: ControllerContext,
    options: QueueControllerOptions = {},
  ) {
    this.queue = new RateLimitingQueue<string>({ name, clock: ctx.clock, metricsProvider: ctx.metricsProvider });
    this.log = ctx.logger.child(name);
    this.workers = options.workers ?? 5;
  }

  /** Brings the object named by `key` to its desired state. Throw to retry with backoff. */
  protected abstract reconcile(key: string): Promise<void>;

  /** Enqueues an object (or a tombstone) by its "namespace/name" key. */
  enqueue(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): void {
    this.queue.add(metaNamespaceKeyFunc(objectOf(obj)));
  }

  /** Enqueues a key after a delay (a requeue the controller decides on, e.g. minReadySeconds). */
  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    this.log.info('starting', { workers: this.workers });
    await Promise.all(Array.from({ length: this.workers }, () => this.worker()));
    this.log.info('stopped');
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcile(key);
        this.queue.forget(key);
      } catch (err) {
        // A conflict means our cache was stale: retry soon, quietly. Anything else is worth a log line.
        if (!isConflict(err)) this.log.warn('reconcile failed; retrying', { key, error: messageOf(err), retries: this.queue.numRequeues(key) });
        if (!this.queue.shuttingDown()) this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}

/** Splits a "namespace/name" key (a cluster-scoped key has no slash). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
