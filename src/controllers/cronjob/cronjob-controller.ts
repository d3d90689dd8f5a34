// The CronJob controller (pkg/controller/cronjob, v2): at each time a CronJob's schedule fires (in
// its time zone) it creates a Job named "<cronjob>-<minutes since the epoch>" from the job
// template — unless suspended, past startingDeadlineSeconds, or concurrencyPolicy Forbid finds
// one still running (Replace deletes the running ones first). It keeps status.active,
// lastScheduleTime and lastSuccessfulTime, deletes finished Jobs beyond the history limits, and
// requeues itself for the next firing on its (injected) clock.

import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { controllerOf, formatTime, parseTime } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../api/status-predicates.js';
import { messageOf } from '../../api/status.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import type { EventRecorder } from '../../client/events/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { ensureControllerUIDIndex, resolveControllerRef } from '../framework/controller-index.js';
import { CONTROLLER_UID_INDEX } from '../framework/controller-index.js';
import { controllerRefTo } from '../framework/pods.js';
import { isJobFinished } from '../job/job-controller.js';
import { Schedule, mostRecentScheduleTime, validTimeZone } from './schedule.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const jobCondition = (job: Job, type: string) => (job.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');

/** getJobName: the job of a firing is named by its time in minutes, so a firing makes one Job at most. */
export function jobNameFor(cronJob: string, scheduledMs: number): string {
  return `${cronJob}-${Math.floor(scheduledMs / 60_000)}`;
}

export class CronJobController extends QueueController {
  private readonly cronJobs: SharedIndexInformer<CronJob>;
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super('cronjob', ctx, { workers: ctx.settings.concurrentSyncs });
    this.recorder = ctx.recorder('cronjob-controller');
    this.cronJobs = ctx.informers.forResource<CronJob>(resources.CRONJOBS);
    this.jobs = ctx.informers.forResource<Job>(resources.JOBS);
    ensureControllerUIDIndex(this.jobs);
    this.cronJobs.addEventHandler({ onAdd: (c) => this.enqueue(c), onUpdate: (_, c) => this.enqueue(c) });
    const onJob = (j: Job) => {
      const owner = resolveControllerRef(this.cronJobs, 'CronJob', j.metadata?.namespace ?? '', controllerOf(j));
      if (owner) this.enqueue(owner);
    };
    this.jobs.addEventHandler({ onAdd: onJob, onUpdate: (_, j) => onJob(j), onDelete: (j) => onJob(objectOf(j)) });
  }

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' }, type, reason, message);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.cronJobs.lister().namespace(namespace).get(name);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const cj = structuredClone(cached);
    const now = this.ctx.clock.now();
    const status = (cj.status ??= {});
    const owned = this.jobs.getIndexer().byIndex(CONTROLLER_UID_INDEX, cj.metadata?.uid ?? '').filter((j) => j.metadata?.namespace === namespace);

    // Keep status.active to the running jobs; note the completed ones.
    const running = owned.filter((j) => !isJobFinished(j));
    const active: ObjectReference[] = running.map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata?.name ?? '', namespace, uid: j.metadata?.uid ?? '', resourceVersion: j.metadata?.resourceVersion ?? '' }));
    for (const ref of status.active ?? []) {
      const job = owned.find((j) => j.metadata?.uid === ref.uid);
      if (job && isJobFinished(job)) this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name}, condition: ${jobCondition(job, 'Complete') ? 'Complete' : 'Failed'}`);
    }
    status.active = active;
    for (const j of owned) {
      const done = jobCondition(j, 'Complete') ? parseTime(j.status?.completionTime ?? undefined) : undefined;
      if (done !== undefined && done > (parseTime(status.lastSuccessfulTime ?? undefined) ?? 0)) status.lastSuccessfulTime = formatTime(done);
    }
    await this.cleanupHistory(cj, owned);

    const spec = cj.spec;
    let requeueAt: number | undefined;
    if (spec && !spec.suspend) {
      const zone = spec.timeZone ?? undefined;
      if (zone && !validTimeZone(zone)) {
        this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${zone}": unknown time zone ${zone}`);
      } else {
        let schedule: Schedule | undefined;
        try {
          schedule = new Schedule(spec.schedule, zone);
        } catch (err) {
          this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${messageOf(err)}`);
        }
        if (schedule) requeueAt = await this.maybeStart(cj, schedule, running, now);
      }
    }
    if (JSON.stringify(cached.status ?? {}) !== JSON.stringify(status)) {
      await this.ctx.client.resource<CronJob>(resources.CRONJOBS).namespace(namespace).updateStatus(cj);
    }
    if (requeueAt !== undefined) this.enqueueAfter(key, Math.max(0, requeueAt - now) + 100);
  }

  /** Starts the Job of the most recent due firing if policy allows; returns the next firing time. */
  private async maybeStart(cj: CronJob, schedule: Schedule, running: Job[], now: number): Promise<number | undefined> {
    const spec = cj.spec!;
    const status = cj.status!;
    const earliest = parseTime(status.lastScheduleTime ?? undefined) ?? parseTime(cj.metadata?.creationTimestamp) ?? now;
    const deadline = spec.startingDeadlineSeconds ?? undefined;
    const next = schedule.next(now);
    const { time, missed } = mostRecentScheduleTime(schedule, earliest, now, deadline);
    if (missed > 100) this.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    if (time === undefined) return next;
    const jobName = jobNameFor(cj.metadata?.name ?? '', time);
    // Already started (our cache may lag a create that succeeded): nothing to do for this firing.
    if (this.jobs.lister().namespace(cj.metadata?.namespace ?? '').get(jobName)) return next;
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && running.length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return next;
    }
    if (policy === 'Replace') {
      for (const j of running) await this.deleteJob(cj, j);
      status.active = [];
    }
    const tmpl = spec.jobTemplate;
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobName,
        namespace: cj.metadata?.namespace ?? '',
        labels: { ...(tmpl.metadata?.labels ?? {}) },
        annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatTime(time) },
        ownerReferences: [controllerRefTo(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(tmpl.spec ?? { template: { spec: { containers: [] } } }),
    };
    try {
      const created = await this.ctx.client.resource<Job>(resources.JOBS).namespace(cj.metadata?.namespace ?? '').create(job);
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
      status.active = [...(status.active ?? []), { apiVersion: 'batch/v1', kind: 'Job', name: jobName, namespace: created.metadata?.namespace ?? '', uid: created.metadata?.uid ?? '', resourceVersion: created.metadata?.resourceVersion ?? '' }];
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${messageOf(err)}`);
        throw err;
      }
    }
    status.lastScheduleTime = formatTime(time);
    return next;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1). */
  private async cleanupHistory(cj: CronJob, owned: Job[]): Promise<void> {
    const byStart = (a: Job, b: Job) => (parseTime(a.status?.startTime ?? undefined) ?? 0) - (parseTime(b.status?.startTime ?? undefined) ?? 0) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
    const trim = async (jobs: Job[], limit: number | undefined) => {
      const sorted = [...jobs].sort(byStart);
      for (const j of sorted.slice(0, Math.max(0, sorted.length - (limit ?? 0)))) await this.deleteJob(cj, j);
    };
    await trim(owned.filter((j) => jobCondition(j, 'Complete')), cj.spec?.successfulJobsHistoryLimit ?? 3);
    await trim(owned.filter((j) => jobCondition(j, 'Failed')), cj.spec?.failedJobsHistoryLimit ?? 1);
  }

  private async deleteJob(cj: CronJob, job: Job): Promise<void> {
    try {
      await this.ctx.client.resource<Job>(resources.JOBS).namespace(job.metadata?.namespace ?? '').delete(job.metadata?.name ?? '', { propagationPolicy: 'Background' });
      this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
