// The CronJob controller against a real `kite server`, run in-process on an injected clock that the
// test moves forward: a Job per firing named by its minute, Forbid skipping a firing while the last
// Job runs, history limits, and schedules evaluated in the CronJob's time zone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/rest/index.js';
import { startControllerManager, type RunningControllerManager } from '../src/controllers/index.js';
import { FakeClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/log.js';
import { useCluster } from './support/cluster-fixture.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'default';

describe('CronJob controller on an injected clock', () => {
  const cluster = useCluster({ name: 'cronjob' });
  const clock = new FakeClock(Date.now());
  let manager: RunningControllerManager;
  const cronJobs = () => cluster.rest.resource<CronJob>(resources.CRONJOBS).namespace(NS);
  const jobs = () => cluster.rest.resource<Job>(resources.JOBS).namespace(NS);
  const jobsOf = async (cj: string) => (await jobs().list()).items.filter((j) => j.metadata?.ownerReferences?.[0]?.name === cj).map((j) => j.metadata?.name ?? '').sort();
  const cronJob = (name: string, schedule: string, spec: Partial<CronJob['spec']> = {}): CronJob => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: NS },
    spec: { schedule, jobTemplate: { metadata: { labels: { from: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
  });
  const complete = async (name: string) => {
    const job = await jobs().get(name);
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await jobs().updateStatus({ ...job, status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: now }, { type: 'Complete', status: 'True', lastTransitionTime: now }] } });
  };
  /** waitUntil, with the injected clock moving on a little at each check (retries with backoff run on it). */
  let seen = '';
  const waitTicking = (what: string, check: () => Promise<boolean>) =>
    waitUntil(
      what,
      async () => {
        await clock.step(50);
        seen = JSON.stringify({ cronjobs: (await cronJobs().list()).items.map((c) => [c.metadata?.name, c.status]), jobs: (await jobs().list()).items.map((j) => [j.metadata?.name, j.status?.conditions?.map((c) => c.type)]) });
        return check();
      },
      { timeoutMs: 15_000, describe: () => seen },
    );
  /** Moves the clock to just past the next minute boundary. */
  const nextMinute = () => clock.step(60_000 - (clock.now() % 60_000) + 1000);

  before(async () => {
    manager = await startControllerManager({ client: cluster.rest, controllers: ['cronjob'], clock, logger: silentLogger });
    await manager.started;
  });
  after(async () => manager?.stop());

  it('starts a Job per firing, skips a firing under Forbid while one runs, and keeps the history limit', async () => {
    const created = await cronJobs().create(cronJob('tick', '* * * * *', { concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 1 }));
    // Firings count from the CronJob's creation (the server's wall clock, ahead of the injected
    // clock by however long the start took): bring the clock there first.
    await clock.step(Math.max(0, Date.parse(created.metadata?.creationTimestamp ?? '') - clock.now()));
    await waitUntil('the controller has seen the CronJob', async () => clock.pending() > 0, { timeoutMs: 10_000 });
    await nextMinute();
    await waitTicking('first job', async () => (await jobsOf('tick')).length === 1);
    const [first] = await jobsOf('tick');
    const firstJob = await jobs().get(first!);
    const scheduled = Date.parse(firstJob.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '');
    assert.equal(first, `tick-${Math.floor(scheduled / 60_000)}`);
    assert.equal(firstJob.metadata?.labels?.['from'], 'tick');
    await waitTicking('active in status', async () => (await cronJobs().get('tick')).status?.active?.[0]?.name === first);

    // Still running at the next firing: Forbid skips it.
    await nextMinute();
    await waitTicking('JobAlreadyActive event', async () => (await cluster.rest.resource<Event>(resources.EVENTS).namespace(NS).list()).items.some((e) => e.reason === 'JobAlreadyActive' && e.involvedObject.name === 'tick'));
    assert.deepEqual(await jobsOf('tick'), [first]);

    // Once it completes, the firing Forbid held back is due and starts (as Kubernetes starts a missed
    // firing within its deadline); the history then keeps only the newest success.
    await complete(first!);
    await waitTicking('second job', async () => (await jobsOf('tick')).some((n) => n !== first));
    const [second] = (await jobsOf('tick')).filter((n) => n !== first);
    await complete(second!);
    await waitTicking('only the newest success kept', async () => !(await jobsOf('tick')).includes(first!));
    assert.ok((await cronJobs().get('tick')).status?.lastSuccessfulTime);
  });

  it('evaluates the schedule in the CronJob\'s time zone', async () => {
    // "0 * * * *" in Asia/Kolkata (UTC+5:30) fires at half past each UTC hour.
    await cronJobs().create(cronJob('kolkata', '0 * * * *', { timeZone: 'Asia/Kolkata' }));
    await waitUntil('kolkata seen', async () => !!(await cronJobs().get('kolkata')).metadata?.uid, { timeoutMs: 5000 });
    const target = (Math.floor((clock.now() - 30 * 60_000) / 3_600_000) + 1) * 3_600_000 + 30 * 60_000;
    await clock.step(target - clock.now() + 1000);
    const scheduledTimes = async () =>
      Promise.all((await jobsOf('kolkata')).map(async (n) => Date.parse((await jobs().get(n)).metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '')));
    await waitTicking('kolkata job for the target firing', async () => (await scheduledTimes()).includes(target));
    for (const t of await scheduledTimes()) assert.equal(new Date(t).getUTCMinutes(), 30, 'fires at :30 UTC');
  });
});
