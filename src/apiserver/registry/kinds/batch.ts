// batch/v1 jobs and cronjobs: names (category "all", cj), status subresources, kubectl's tables
// (job STATUS from conditions, COMPLETIONS, DURATION; cronjob SCHEDULE TIMEZONE SUSPEND ACTIVE
// LAST SCHEDULE), the status.successful field selector, and the strategies: Kubernetes'
// defaults, the generated selector and controller-uid/job-name labels, restart policy
// OnFailure/Never, immutable selector and template, and cron schedule syntax.

import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { FieldError, FieldPath } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { Strategy, TableColumn } from '../resource.js';
import { cronError } from './cron.js';
import { humanDuration, parseTime, since } from './duration.js';
import { defaultPodTemplate, validatePodTemplate } from './pod-spec.js';
import {
  ageColumn,
  boolPtr,
  containerCells,
  define,
  formatLabelSelector,
  immutable,
  keepAllButStatus,
  keepStatus,
  nonNegative,
  resetStatus,
  selectorIsEmpty,
  selectorMatches,
  statusSubresource,
  wide,
} from './util.js';
import type { Writable } from './util.js';

export type JobObj = Writable<Job>;
export type CronJobObj = Writable<CronJob>;

export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID = 'controller-uid';
const LEGACY_JOB_NAME = 'job-name';
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];

// ---- jobs -----------------------------------------------------------------------------------

const hasCondition = (j: Job, type: string): boolean => (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** printJob's STATUS. */
export function jobStatus(j: Job): string {
  if (hasCondition(j, 'Complete')) return 'Complete';
  if (hasCondition(j, 'Failed')) return 'Failed';
  if (j.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(j, 'Suspended')) return 'Suspended';
  if (hasCondition(j, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(j, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(j: Job): string {
  const succeeded = j.status?.succeeded ?? 0;
  if (j.spec?.completions !== undefined && j.spec.completions !== null) return `${succeeded}/${j.spec.completions}`;
  const parallelism = j.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(j: Job, now: number): string {
  const start = parseTime(j.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(j.status?.completionTime);
  return end === undefined ? humanDuration(now - start) : humanDuration(end - start);
}

export function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const c of rule.onPodConditions ?? []) c.status ||= 'True';
  defaultPodTemplate(spec.template);
}

/** generateSelector: job-name and controller-uid labels on the template, selector on the uid. */
function generateSelector(j: JobObj): void {
  const spec = j.spec;
  if (!spec || spec.manualSelector) return;
  const name = j.metadata?.name ?? '';
  const uid = j.metadata?.uid ?? '';
  const tmeta = (spec.template.metadata ??= {});
  const labels = (tmeta.labels ??= {});
  for (const k of [LEGACY_JOB_NAME, LABEL_JOB_NAME]) if (!(k in labels)) labels[k] = name;
  for (const k of [LEGACY_CONTROLLER_UID, LABEL_CONTROLLER_UID]) if (!(k in labels)) labels[k] = uid;
  const sel = (spec.selector ??= {});
  const ml = (sel.matchLabels ??= {});
  if (!(LABEL_CONTROLLER_UID in ml)) ml[LABEL_CONTROLLER_UID] = uid;
}

function validateJobSpec(spec: JobSpec | undefined, p: FieldPath, selectorRequired: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [field.required(p, '')];
  errs.push(...nonNegative(spec.parallelism, p.child('parallelism')));
  errs.push(...nonNegative(spec.completions, p.child('completions')));
  errs.push(...nonNegative(spec.backoffLimit, p.child('backoffLimit')));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(field.invalid(p.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be greater than 0'));
  }
  errs.push(...nonNegative(spec.ttlSecondsAfterFinished, p.child('ttlSecondsAfterFinished')));
  const mode = spec.completionMode;
  if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(field.notSupported(p.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(field.required(p.child('completions'), 'when completion mode is Indexed'));
  }
  if (spec.selector) {
    if (selectorIsEmpty(spec.selector)) errs.push(field.invalid(p.child('selector'), spec.selector, 'empty selector is invalid for job'));
    else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
      errs.push(field.invalid(p.child('template', 'metadata', 'labels'), spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
    }
  } else if (selectorRequired) errs.push(field.required(p.child('selector'), ''));
  errs.push(...validatePodTemplate(spec.template, p, JOB_RESTART_POLICIES));
  if (spec.template?.spec && !spec.template.spec.restartPolicy) {
    errs.push(field.notSupported(p.child('template', 'spec', 'restartPolicy'), '', JOB_RESTART_POLICIES));
  }
  return errs;
}

function validateJob(j: JobObj): FieldError[] {
  const errs = validateJobSpec(j.spec, field.path('spec'), true);
  const uid = j.metadata?.uid;
  if (j.spec && !j.spec.manualSelector && uid) {
    const ml = j.spec.selector?.matchLabels ?? {};
    if (ml[LABEL_CONTROLLER_UID] !== undefined && ml[LABEL_CONTROLLER_UID] !== uid) {
      errs.push(field.invalid(field.path('spec', 'selector'), j.spec.selector, '`selector` not auto-generated'));
    }
  }
  return errs;
}

function validateJobUpdate(j: JobObj, old: JobObj): FieldError[] {
  const errs = validateJob(j);
  const p = field.path('spec');
  errs.push(...immutable(j.spec?.selector, old.spec?.selector, p.child('selector')));
  errs.push(...immutable(j.spec?.completionMode, old.spec?.completionMode, p.child('completionMode')));
  if (!(j.spec?.completionMode === 'Indexed' && j.spec.completions === j.spec.parallelism)) {
    errs.push(...immutable(j.spec?.completions, old.spec?.completions, p.child('completions')));
  }
  // The template may change only while the job is suspended and has never started.
  const mutableTemplate = old.spec?.suspend === true && !old.status?.startTime;
  if (!mutableTemplate) errs.push(...immutable(j.spec?.template, old.spec?.template, p.child('template')));
  return errs;
}

export const jobStrategy: Strategy<JobObj> = {
  defaults(j) {
    if (!j.spec) return;
    // Job labels default to the template's (before the generated ones are added).
    const tl = j.spec.template?.metadata?.labels;
    const meta = (j.metadata ??= {});
    if (tl && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...tl };
    defaultJobSpec(j.spec);
  },
  prepareForCreate(j) {
    generateSelector(j);
    resetStatus(j);
  },
  prepareForUpdate: keepStatus,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

function templateColumns<T>(spec: (o: T) => JobSpec | undefined): TableColumn<T>[] {
  return [
    wide('Containers', (o) => containerCells(spec(o)?.template?.spec?.containers).names, { description: 'Names of each container in the template.' }),
    wide('Images', (o) => containerCells(spec(o)?.template?.spec?.containers).images, { description: 'Images referenced by each container in the template.' }),
    wide('Selector', (o) => formatLabelSelector(spec(o)?.selector), { description: 'A label query over pods that should match the pod count.' }),
  ];
}

export const jobs = define<JobObj>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  strategy: jobStrategy,
  hasStatus: true,
  columns: [
    { name: 'Status', type: 'string', description: 'Status of the job.', cell: jobStatus },
    { name: 'Completions', type: 'string', description: 'The number of pods which reached phase Succeeded.', cell: jobCompletions },
    { name: 'Duration', type: 'string', description: 'Time required to complete the job.', cell: jobDuration },
    ageColumn(),
    ...templateColumns<JobObj>((j) => j.spec),
  ],
  fields: { 'status.successful': (j) => String(j.status?.succeeded ?? 0) },
  subresources: [statusSubresource('Job', { prepareForUpdate: keepAllButStatus })],
});

// ---- cronjobs -------------------------------------------------------------------------------

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
const CRONJOB_NAME_MAX = 52;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return !/^\s|\s$/.test(tz);
  } catch {
    return false;
  }
}

function validateCronJob(cj: CronJobObj): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.path('spec');
  const name = cj.metadata?.name ?? '';
  if (name.length > CRONJOB_NAME_MAX) errs.push(field.invalid(field.path('metadata', 'name'), name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  const schedule = cj.spec?.schedule ?? '';
  if (!schedule) errs.push(field.required(p.child('schedule'), ''));
  else if (/(^|\s)(CRON_)?TZ=/.test(schedule)) {
    errs.push(field.invalid(p.child('schedule'), schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  } else {
    const err = cronError(schedule);
    if (err) errs.push(field.invalid(p.child('schedule'), schedule, err));
  }
  const tz = cj.spec?.timeZone;
  if (tz !== undefined && tz !== null) {
    if (tz === '' || !validTimeZone(tz)) errs.push(field.invalid(p.child('timeZone'), tz, 'unknown time zone ' + tz));
  }
  const cp = cj.spec?.concurrencyPolicy;
  if (!cp) errs.push(field.required(p.child('concurrencyPolicy'), ''));
  else if (!CONCURRENCY_POLICIES.includes(cp)) errs.push(field.notSupported(p.child('concurrencyPolicy'), cp, CONCURRENCY_POLICIES));
  errs.push(...nonNegative(cj.spec?.startingDeadlineSeconds, p.child('startingDeadlineSeconds')));
  errs.push(...nonNegative(cj.spec?.successfulJobsHistoryLimit, p.child('successfulJobsHistoryLimit')));
  errs.push(...nonNegative(cj.spec?.failedJobsHistoryLimit, p.child('failedJobsHistoryLimit')));
  errs.push(...validateJobSpec(cj.spec?.jobTemplate?.spec, p.child('jobTemplate', 'spec'), false));
  return errs;
}

export const cronJobStrategy: Strategy<CronJobObj> = {
  defaults(cj) {
    const spec = cj.spec;
    if (!spec) return;
    spec.concurrencyPolicy ||= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    defaultPodTemplate(spec.jobTemplate?.spec?.template);
  },
  prepareForCreate: resetStatus,
  prepareForUpdate: keepStatus,
  validate: validateCronJob,
  validateUpdate: validateCronJob,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const cronjobs = define<CronJobObj>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  strategy: cronJobStrategy,
  hasStatus: true,
  columns: [
    { name: 'Schedule', type: 'string', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', cell: (cj) => cj.spec?.schedule ?? '' },
    { name: 'Timezone', type: 'string', description: 'The time zone name for the given schedule.', cell: (cj) => cj.spec?.timeZone ?? '<none>' },
    { name: 'Suspend', type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions.', cell: (cj) => boolPtr(cj.spec?.suspend) },
    { name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.', cell: (cj) => (cj.status?.active ?? []).length },
    { name: 'Last Schedule', type: 'string', description: 'Information when was the last time the job was successfully scheduled.', cell: (cj, now) => (cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>') },
    ageColumn(),
    ...templateColumns<CronJobObj>((cj) => cj.spec?.jobTemplate?.spec),
  ],
  subresources: [statusSubresource('CronJob')],
});
