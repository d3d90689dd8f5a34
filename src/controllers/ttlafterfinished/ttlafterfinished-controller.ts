// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted (propagationPolicy Background, so its pods follow) once
// the TTL has passed since it finished. Before deleting, a fresh GET confirms the Job is still
// finished with the TTL expired (its TTL may have been changed), and the delete carries the fresh
// resourceVersion as a precondition. A Job not yet expired is requeued for the time left on the
// injected clock.

import type { Job } from 'kubernetes-types/batch/v1.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { needsCleanup, timeLeft } from './ttl.js';

export class TtlAfterFinishedController extends QueueController {
  private readonly jobs: SharedIndexInformer<Job>;

  constructor(ctx: ControllerContext) {
    super('ttl-after-finished', ctx, { workers: 5 });
    this.jobs = ctx.informers.forResource<Job>(resources.JOBS);
    const onJob = (j: Job) => {
      if (needsCleanup(j)) this.enqueue(j);
    };
    this.jobs.addEventHandler({ onAdd: onJob, onUpdate: (_, j) => onJob(j) });
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.lister().namespace(namespace).get(name);
    if (!cached || !this.expired(cached)) return;
    const client = this.ctx.client.resource<Job>(resources.JOBS).namespace(namespace);
    // The cache may be stale (the TTL changed, the Job was recreated): decide on a fresh read.
    let fresh: Job;
    try {
      fresh = await client.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!this.expired(fresh)) return;
    try {
      await client.delete(name, { propagationPolicy: 'Background', preconditions: { resourceVersion: fresh.metadata?.resourceVersion ?? '' } });
      this.log.info('deleted finished job after its TTL', { key });
    } catch (err) {
      // A conflict means the Job changed since the GET: the retry looks again.
      if (!isNotFound(err)) throw err;
    }
  }

  /** True when the Job's TTL has passed; otherwise requeues it for the time left. */
  private expired(job: Job): boolean {
    const left = timeLeft(job, this.ctx.clock.now());
    if (left === undefined) return false;
    if (left > 0) {
      this.enqueueAfter(`${job.metadata?.namespace}/${job.metadata?.name}`, left);
      return false;
    }
    return true;
  }
}
