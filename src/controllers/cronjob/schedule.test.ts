import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Schedule, mostRecentScheduleTime, validTimeZone } from './schedule.js';

const t = (iso: string) => Date.parse(iso);

describe('CronJob schedules', () => {
  it('fires in the schedule\'s time zone', () => {
    const s = new Schedule('0 9 * * 1-5', 'America/New_York');
    assert.equal(new Date(s.next(t('2026-11-22T00:00:00Z'))!).toISOString(), '2026-11-23T14:00:00.000Z');
    assert.equal(new Date(new Schedule('@hourly').next(t('2026-11-22T00:30:00Z'))!).toISOString(), '2026-11-22T01:00:00.000Z');
  });

  it('matches either a restricted day of month or day of week, as Vixie cron does', () => {
    const s = new Schedule('0 0 1 * 1');
    // 2026-11-23 is a Monday; the 1st of December a Tuesday.
    assert.equal(new Date(s.next(t('2026-11-22T00:00:00Z'))!).toISOString(), '2026-11-23T00:00:00.000Z');
    assert.equal(new Date(s.next(t('2026-11-30T12:00:00Z'))!).toISOString(), '2026-12-01T00:00:00.000Z');
  });

  it('finds the most recent due time and counts the missed ones, bounded by startingDeadlineSeconds', () => {
    const every = new Schedule('*/5 * * * *');
    assert.deepEqual(mostRecentScheduleTime(every, t('2026-11-22T10:00:00Z'), t('2026-11-22T10:17:00Z')), { time: t('2026-11-22T10:15:00Z'), missed: 3 });
    assert.deepEqual(mostRecentScheduleTime(every, t('2026-11-22T10:00:00Z'), t('2026-11-22T10:04:00Z')), { missed: 0 });
    assert.deepEqual(mostRecentScheduleTime(every, t('2026-11-22T10:00:00Z'), t('2026-11-22T10:17:00Z'), 60), { missed: 0 });
    assert.deepEqual(mostRecentScheduleTime(every, t('2026-11-22T10:00:00Z'), t('2026-11-22T10:17:00Z'), 180), { time: t('2026-11-22T10:15:00Z'), missed: 1 });
  });

  it('knows IANA zones', () => {
    assert.equal(validTimeZone('Europe/Berlin'), true);
    assert.equal(validTimeZone('Mars/Olympus'), false);
  });
});
