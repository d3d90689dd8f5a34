import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyContext } from '../resource.js';
import type { CronJobObj, JobObj } from './batch.js';
import { cronJobStrategy, jobCompletions, jobStatus, jobStrategy } from './batch.js';
import { cronError } from './cron.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z', namespace: 'default' };

test('jobs get defaults, a generated selector and the job labels', () => {
  const j: JobObj = {
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } } },
  };
  jobStrategy.defaults!(j);
  jobStrategy.prepareForCreate!(j, ctx);
  const spec = j.spec!;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, 'NonIndexed');
  assert.equal(spec.suspend, false);
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual(spec.template.metadata?.labels, {
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/controller-uid': 'u-1',
  });
  assert.deepEqual(jobStrategy.validate!(j, ctx), []);
  assert.equal(jobStatus(j), 'Running');
  assert.equal(jobCompletions(j), '0/1');
});

test('job templates must restart OnFailure or Never', () => {
  const j: JobObj = { metadata: { name: 'x', uid: 'u' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  jobStrategy.defaults!(j);
  jobStrategy.prepareForCreate!(j, ctx);
  assert.deepEqual(jobStrategy.validate!(j, ctx).map((e) => e.toString()), [
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
});

test('cronjob defaults and schedule validation', () => {
  const cj: CronJobObj = {
    metadata: { name: 'c' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'x' }] } } } } },
  };
  cronJobStrategy.defaults!(cj);
  assert.equal(cj.spec!.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec!.suspend, false);
  assert.equal(cj.spec!.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec!.failedJobsHistoryLimit, 1);
  assert.deepEqual(cronJobStrategy.validate!(cj, ctx), []);
  cj.spec!.schedule = 'every day';
  assert.deepEqual(cronJobStrategy.validate!(cj, ctx).map((e) => e.toString()), ['spec.schedule: Invalid value: "every day": expected exactly 5 fields, found 2: [every day]']);
});

test('cron syntax', () => {
  for (const ok of ['* * * * *', '0 0 1 1 *', '@hourly', '@every 1h30m', '0-59/15 0,12 * JAN-DEC mon-fri', '? * * * *']) assert.equal(cronError(ok), undefined, ok);
  assert.equal(cronError('60 * * * *'), 'end of range (60) above maximum (59): 60');
  assert.equal(cronError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
});
