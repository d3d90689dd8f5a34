// The Job controller (pkg/controller/job): runs a Job's pods to completion. Pods come from the
// template with the Job's labels, a controller reference and the batch.kubernetes.io/job-tracking
// finalizer; a finished pod is first recorded in status.uncountedTerminatedPods, then its
// finalizer is removed, then it moves into status.succeeded / failed — so every pod is counted
// exactly once even if it is deleted meanwhile. Parallelism and completions (NonIndexed, or
// Indexed with one pod per completion index), backoffLimit with exponential recreation delay,
// activeDeadlineSeconds, podFailurePolicy and suspend; the interim SuccessCriteriaMet /
// FailureTarget conditions, then Complete / Failed once no pod of the Job is left running.

import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { controllerOf, formatTime, parseTime } from '../../api/meta.js';
import { isNotFound } from '../../api/status-predicates.js';
import { selectorFromLabelSelector } from '../../api/labels/index.js';
import { objectOf, type DeletedFinalStateUnknown, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceClient } from '../../client/rest/index.js';
import type { EventRecorder } from '../../client/events/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { ensureControllerUIDIndex, ownedAndOrphans, resolveControllerRef } from '../framework/controller-index.js';
import { ControllerExpectations } from '../framework/expectations.js';
import { PodControl, podFromTemplate } from '../framework/pod-control.js';
import { controllerRefTo, isPodReady } from '../framework/pods.js';
import { claimObjects, recheckDeletionTimestamp } from '../framework/ref-manager.js';
import { COMPLETION_INDEX_ANNOTATION, formatIndexes, parseIndexes, podIndex } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** kube's MaxJobPodFailureBackOff. */
const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
const MAX_CREATES_PER_SYNC = 500;

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const hasFinalizer = (p: Pod) => (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
const condition = (job: Job, type: string) => (job.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');
export const isJobFinished = (job: Job): boolean => !!(condition(job, 'Complete') || condition(job, 'Failed'));

/** A pod that is done for the Job's accounting: terminal, or being deleted (then it failed unless it succeeded). */
function finishedOutcome(p: Pod): 'succeeded' | 'failed' | undefined {
  if (p.status?.phase === 'Succeeded') return 'succeeded';
  if (p.status?.phase === 'Failed' || p.metadata?.deletionTimestamp) return 'failed';
  return undefined;
}

export class JobController extends QueueController {
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;

  constructor(ctx: ControllerContext) {
    super('job', ctx, { workers: ctx.settings.concurrentJobSyncs });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder('job-controller');
    this.podControl = new PodControl((ns) => this.podsIn(ns), this.recorder);
    this.jobs = ctx.informers.forResource<Job>(resources.JOBS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    ensureControllerUIDIndex(this.pods);
    this.jobs.addEventHandler({
      onAdd: (j) => this.enqueue(j),
      onUpdate: (_, j) => this.enqueue(j),
      onDelete: (j) => this.expectations.delete(this.keyOf(objectOf(j))),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p, 'add'),
      onUpdate: (_, p) => this.podChanged(p, 'update'),
      onDelete: (p) => this.podChanged(objectOf(p as Pod | DeletedFinalStateUnknown<Pod>), 'delete'),
    });
  }

  private keyOf(o: { metadata?: { namespace?: string; name?: string } }): string {
    return `${o.metadata?.namespace}/${o.metadata?.name}`;
  }

  private podsIn(namespace: string): ResourceClient<Pod> {
    return this.ctx.client.resource<Pod>(resources.PODS).namespace(namespace);
  }

  private podChanged(pod: Pod, how: 'add' | 'update' | 'delete'): void {
    const ns = pod.metadata?.namespace ?? '';
    const job = resolveControllerRef(this.jobs, 'Job', ns, controllerOf(pod));
    if (!job) {
      // A finished pod of a Job that is gone keeps its finalizer until we take it off.
      if (how !== 'delete' && hasFinalizer(pod) && (terminal(pod) || pod.metadata?.deletionTimestamp) && controllerOf(pod)?.kind === 'Job') this.queue.add(`pod:${this.keyOf(pod)}`);
      return;
    }
    const key = this.keyOf(job);
    if (how === 'add' && !pod.metadata?.deletionTimestamp) this.expectations.creationObserved(key);
    if (how === 'delete' || pod.metadata?.deletionTimestamp) this.expectations.deletionObserved(key, this.keyOf(pod));
    this.queue.add(key);
  }

  protected async reconcile(key: string): Promise<void> {
    if (key.startsWith('pod:')) return this.releaseOrphanPod(key.slice(4));
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.lister().namespace(namespace).get(name);
    if (!cached) return;
    const job = structuredClone(cached);
    const now = this.ctx.clock.now();
    const uid = job.metadata?.uid ?? '';
    let selector;
    try {
      selector = selectorFromLabelSelector(job.spec?.selector);
    } catch {
      return;
    }
    const pods = isJobFinished(job)
      ? ownedAndOrphans(this.pods, namespace, uid).filter((p) => controllerOf(p)?.uid === uid)
      : await claimObjects<Pod>(
          {
            owner: job,
            ownerRef: controllerRefTo(job, 'batch/v1', 'Job'),
            selector,
            client: this.podsIn(namespace),
            recheckOwner: recheckDeletionTimestamp(() => this.ctx.client.resource<Job>(resources.JOBS).namespace(namespace).get(name), job),
            kind: 'Pod',
          },
          ownedAndOrphans(this.pods, namespace, uid),
        );

    // A finished Job only lets go of its pods.
    if (isJobFinished(job)) {
      await this.removeFinalizers(pods.filter(hasFinalizer));
      return;
    }

    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const uncounted = { succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods.failed ?? []) };
    const indexed = job.spec?.completionMode === 'Indexed';
    const completions = job.spec?.completions ?? undefined;
    const completed = indexed ? parseIndexes(status.completedIndexes, completions ?? 0) : new Set<number>();
    let statusChanged = false;
    let failJob: { reason: string; message: string } | undefined;

    // 1. Newly finished pods go into uncountedTerminatedPods (a FailJob rule may end the Job).
    for (const pod of pods) {
      const outcome = finishedOutcome(pod);
      const podUid = pod.metadata?.uid ?? '';
      if (!outcome || !hasFinalizer(pod) || uncounted.succeeded.has(podUid) || uncounted.failed.has(podUid)) continue;
      if (outcome === 'failed' && pod.status?.phase === 'Failed') {
        const match = matchPodFailurePolicy(job.spec?.podFailurePolicy ?? undefined, pod);
        if (match?.action === 'FailJob') failJob ??= { reason: 'PodFailurePolicy', message: match.message };
        if (match?.action === 'Ignore') {
          // Not counted against backoffLimit; only its finalizer comes off.
          uncounted.succeeded.delete(podUid);
          await this.removeFinalizers([pod]);
          continue;
        }
      }
      uncounted[outcome].add(podUid);
      if (outcome === 'succeeded' && indexed) {
        const i = podIndex(pod);
        if (i !== undefined && i < (completions ?? 0)) completed.add(i);
      }
      statusChanged = true;
    }
    if (statusChanged) {
      status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] };
      if (indexed) status.completedIndexes = formatIndexes(completed);
      await this.writeStatus(job);
    }
    // 2. Their finalizers come off; 3. then they are counted.
    const uncountedPods = pods.filter((p) => hasFinalizer(p) && (uncounted.succeeded.has(p.metadata?.uid ?? '') || uncounted.failed.has(p.metadata?.uid ?? '')));
    await this.removeFinalizers(uncountedPods);
    if (uncounted.succeeded.size > 0 || uncounted.failed.size > 0) {
      status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.size;
      status.failed = (status.failed ?? 0) + uncounted.failed.size;
      if (indexed) status.succeeded = completed.size;
      status.uncountedTerminatedPods = {};
      statusChanged = true;
    }

    const active = pods.filter((p) => !terminal(p) && !p.metadata?.deletionTimestamp);
    const succeeded = status.succeeded ?? 0;
    const failed = status.failed ?? 0;

    // Suspend and resume.
    if (job.spec?.suspend) {
      if (this.setCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
        this.recorder.event({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, 'Normal', 'Suspended', 'Job suspended');
        statusChanged = true;
      }
      await this.deletePods(job, key, active);
      status.active = 0;
      status.ready = 0;
      if (status.startTime) {
        delete status.startTime;
        statusChanged = true;
      }
      if (statusChanged || this.countsChanged(cached, job, 0, 0, pods)) await this.writeStatus(job);
      return;
    }
    if (condition(job, 'Suspended')) {
      this.setCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      this.recorder.event({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, 'Normal', 'Resumed', 'Job resumed');
      statusChanged = true;
    }
    if (!status.startTime) {
      status.startTime = formatTime(now);
      statusChanged = true;
    }

    // Failure: a FailJob rule, too many failures, or past the deadline.
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const deadline = job.spec?.activeDeadlineSeconds;
    const started = parseTime(status.startTime) ?? now;
    if (!failJob && failed > backoffLimit) failJob = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    if (!failJob && deadline !== undefined && deadline !== null && now - started >= deadline * 1000) failJob = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    const failureTarget = condition(job, 'FailureTarget');
    if (failJob || failureTarget) {
      const reason = failureTarget?.reason ?? failJob!.reason;
      const message = failureTarget?.message ?? failJob!.message;
      if (!failureTarget) {
        this.setCondition(job, 'FailureTarget', 'True', reason, message, now);
        statusChanged = true;
      }
      await this.deletePods(job, key, active);
      const left = pods.filter((p) => !terminal(p) || hasFinalizer(p));
      if (left.length === 0 || left.every((p) => p.metadata?.deletionTimestamp && !hasFinalizer(p))) {
        this.setCondition(job, 'Failed', 'True', reason, message, now);
        this.recorder.event({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, 'Warning', reason, message);
        statusChanged = true;
      } else this.enqueueAfter(key, 1000);
      status.active = 0;
      status.ready = 0;
      if (statusChanged || this.countsChanged(cached, job, 0, 0, pods)) await this.writeStatus(job);
      return;
    }
    if (deadline !== undefined && deadline !== null) this.enqueueAfter(key, Math.max(0, started + deadline * 1000 - now) + 10);

    // Success: every completion (or, without completions, one success and nothing running).
    const complete = completions !== undefined && completions !== null ? (indexed ? completed.size >= completions : succeeded >= completions) : succeeded > 0 && active.length === 0;
    if (complete || condition(job, 'SuccessCriteriaMet')) {
      if (!condition(job, 'SuccessCriteriaMet')) {
        this.setCondition(job, 'SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
        statusChanged = true;
      }
      await this.deletePods(job, key, active);
      if (pods.every((p) => (terminal(p) || p.metadata?.deletionTimestamp) && !hasFinalizer(p)) || pods.length === 0) {
        this.setCondition(job, 'Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
        status.completionTime = formatTime(now);
        this.recorder.event({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, 'Normal', 'Completed', 'Job completed');
        statusChanged = true;
      } else this.enqueueAfter(key, 1000);
      if (statusChanged || this.countsChanged(cached, job, 0, 0, pods)) await this.writeStatus(job);
      return;
    }

    // Keep the right number of pods running.
    if (this.expectations.satisfied(key)) await this.manageActive(job, key, active, completed, now, failed);
    const ready = active.filter(isPodReady).length;
    if (statusChanged || this.countsChanged(cached, job, active.length, ready, pods)) {
      status.active = active.length;
      status.ready = ready;
      status.terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !terminal(p)).length;
      await this.writeStatus(job);
    }
  }

  private countsChanged(before: Job, job: Job, active: number, ready: number, pods: Pod[]): boolean {
    const s = before.status ?? {};
    const terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !terminal(p)).length;
    job.status!.active = active;
    job.status!.ready = ready;
    job.status!.terminating = terminating;
    return (s.active ?? 0) !== active || (s.ready ?? 0) !== ready || (s.terminating ?? 0) !== terminating;
  }

  private async manageActive(job: Job, key: string, active: Pod[], completed: Set<number>, now: number, failed: number): Promise<void> {
    const indexed = job.spec?.completionMode === 'Indexed';
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions;
    const succeeded = job.status?.succeeded ?? 0;
    let want: number;
    if (completions === undefined || completions === null) want = succeeded > 0 ? active.length : parallelism;
    else want = Math.max(0, Math.min(parallelism, completions - (indexed ? completed.size : succeeded)));

    if (active.length > want) {
      // The newest go first.
      const victims = [...active].sort((a, b) => (parseTime(b.metadata?.creationTimestamp) ?? 0) - (parseTime(a.metadata?.creationTimestamp) ?? 0)).slice(0, active.length - want);
      await this.deletePods(job, key, victims);
      return;
    }
    let toCreate = Math.min(want - active.length, MAX_CREATES_PER_SYNC);
    if (toCreate <= 0) return;
    // Recreating after failures waits 10 s, doubling per failure, at most 10 minutes.
    if (failed > 0) {
      const lastFailure = this.lastFailureTime(job);
      const delay = Math.min(this.ctx.settings.jobPodFailureBackoffMs * 2 ** (failed - 1), MAX_POD_FAILURE_BACKOFF_MS);
      if (lastFailure !== undefined && lastFailure + delay > now) {
        this.enqueueAfter(key, lastFailure + delay - now + 10);
        return;
      }
    }
    const indexes: (number | undefined)[] = [];
    if (indexed) {
      const busy = new Set(active.map(podIndex));
      for (let i = 0; i < (completions ?? 0) && indexes.length < toCreate; i++) if (!completed.has(i) && !busy.has(i)) indexes.push(i);
      toCreate = indexes.length;
    } else for (let i = 0; i < toCreate; i++) indexes.push(undefined);
    if (toCreate === 0) return;
    this.expectations.expectCreations(key, toCreate);
    const ref = controllerRefTo(job, 'batch/v1', 'Job');
    const results = await Promise.allSettled(indexes.map((i) => this.podControl.create(job, this.podFor(job, ref, i))));
    const failures = results.filter((r) => r.status === 'rejected');
    for (let i = 0; i < failures.length; i++) this.expectations.creationObserved(key);
    if (failures.length > 0) throw (failures[0] as PromiseRejectedResult).reason;
  }

  /** When the Job's latest failed pod finished (from the pods still in the cache). */
  private lastFailureTime(job: Job): number | undefined {
    let latest: number | undefined;
    for (const p of ownedAndOrphans(this.pods, job.metadata?.namespace ?? '', job.metadata?.uid ?? '')) {
      if (controllerOf(p)?.uid !== job.metadata?.uid || p.status?.phase !== 'Failed') continue;
      const finished = Math.max(0, ...[...(p.status.containerStatuses ?? [])].map((s) => parseTime(s.state?.terminated?.finishedAt) ?? 0));
      const t = finished || parseTime(p.metadata?.deletionTimestamp) || parseTime(p.status.startTime) || 0;
      latest = Math.max(latest ?? 0, t);
    }
    return latest;
  }

  private podFor(job: Job, ref: ReturnType<typeof controllerRefTo>, index: number | undefined): Pod {
    const pod = podFromTemplate(job.spec?.template, job, ref);
    pod.metadata!.finalizers = [...(pod.metadata!.finalizers ?? []), JOB_TRACKING_FINALIZER];
    if (index !== undefined) {
      const name = job.metadata?.name ?? '';
      pod.metadata!.generateName = `${name}-${index}-`;
      pod.metadata!.annotations = { ...pod.metadata!.annotations, [COMPLETION_INDEX_ANNOTATION]: String(index) };
      pod.metadata!.labels = { ...pod.metadata!.labels, [COMPLETION_INDEX_ANNOTATION]: String(index) };
      const spec = pod.spec!;
      if (!spec.hostname) spec.hostname = `${name}-${index}`;
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } };
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) c.env = [...(c.env ?? []).filter((e) => e.name !== env.name), env];
    }
    return pod;
  }

  private async deletePods(job: Job, key: string, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    this.expectations.expectDeletions(key, pods.map((p) => this.keyOf(p)));
    await Promise.all(
      pods.map((p) =>
        this.podControl.delete(job, p.metadata?.name ?? '').catch((err: unknown) => {
          this.expectations.deletionObserved(key, this.keyOf(p));
          if (!isNotFound(err)) throw err;
        }),
      ),
    );
  }

  private async removeFinalizers(pods: Pod[]): Promise<void> {
    await Promise.all(
      pods.map(async (p) => {
        const finalizers = p.metadata?.finalizers ?? [];
        const i = finalizers.indexOf(JOB_TRACKING_FINALIZER);
        if (i < 0) return;
        try {
          // A JSON patch with a test on the finalizer: never drops someone else's change.
          await this.podsIn(p.metadata?.namespace ?? '').patch(p.metadata?.name ?? '', 'json', [
            { op: 'test', path: `/metadata/finalizers/${i}`, value: JOB_TRACKING_FINALIZER },
            { op: 'remove', path: `/metadata/finalizers/${i}` },
          ]);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }),
    );
  }

  private async releaseOrphanPod(podKey: string): Promise<void> {
    const { namespace, name } = splitKey(podKey);
    const pod = this.pods.lister().namespace(namespace).get(name);
    if (!pod || !hasFinalizer(pod)) return;
    if (resolveControllerRef(this.jobs, 'Job', namespace, controllerOf(pod))) return;
    await this.removeFinalizers([pod]);
  }

  /** Sets a condition; true when it changed. */
  private setCondition(job: Job, type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
    const conditions = (job.status!.conditions ??= []);
    const existing = conditions.find((c) => c.type === type);
    if (existing && existing.status === status && existing.reason === reason && existing.message === message) return false;
    const at = formatTime(now);
    const next: JobCondition = { type, status, reason, message, lastProbeTime: at, lastTransitionTime: existing?.status === status ? (existing.lastTransitionTime ?? at) : at };
    if (existing) Object.assign(existing, next);
    else conditions.push(next);
    return true;
  }

  private async writeStatus(job: Job): Promise<void> {
    const updated = await this.ctx.client.resource<Job>(resources.JOBS).namespace(job.metadata?.namespace ?? '').updateStatus(job);
    job.metadata = updated.metadata;
  }
}
