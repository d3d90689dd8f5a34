// When a finished Job expires under spec.ttlSecondsAfterFinished (pkg/controller/ttlafterfinished):
// the time its Complete or Failed condition (status True) last changed, plus the TTL.

import type { Job } from 'kubernetes-types/batch/v1.js';
import { parseTime } from '../../api/meta.js';

/** The finish time of a finished Job (epoch ms), or undefined while it runs. */
export function jobFinishTime(job: Job): number | undefined {
  const done = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!done) return undefined;
  return parseTime(done.lastTransitionTime ?? undefined) ?? parseTime(job.status?.completionTime ?? undefined);
}

/** True when the Job has a TTL and has finished (needsCleanup). */
export function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && !job.metadata?.deletionTimestamp && jobFinishTime(job) !== undefined;
}

/** Milliseconds until the Job expires (≤ 0: expired), or undefined when it never does. */
export function timeLeft(job: Job, nowMs: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const finished = jobFinishTime(job)!;
  return finished + (job.spec!.ttlSecondsAfterFinished as number) * 1000 - nowMs;
}
