// CronJob schedule times (pkg/controller/cronjob/utils.go): the next time a schedule fires after a
// given instant in the CronJob's time zone (croner, with Vixie cron's rule that a restricted
// day-of-month and day-of-week match either), and the most recent time it should have fired that
// has not been acted on — bounded by startingDeadlineSeconds — with how many were missed.

import { Cron } from 'croner';

/** A parsed schedule in a time zone (undefined zone: the controller's local time, UTC here). */
export class Schedule {
  private readonly cron: Cron;

  constructor(spec: string, timeZone?: string) {
    this.cron = new Cron(spec, { paused: true, legacyMode: true, ...(timeZone ? { timezone: timeZone } : {}) });
  }

  /** The first firing strictly after `afterMs`, in ms; undefined if it never fires again. */
  next(afterMs: number): number | undefined {
    return this.cron.nextRun(new Date(afterMs))?.getTime();
  }
}

/** Whether the IANA time zone name is one this runtime knows. */
export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface MostRecent {
  /** The latest firing at or before now that is due, if any. */
  time?: number;
  /** Firings between the earliest time and now (kube warns above 100). */
  missed: number;
}

/**
 * mostRecentScheduleTime: from the later of the last schedule time (else creation) and
 * now − startingDeadlineSeconds, the latest firing not after now.
 */
export function mostRecentScheduleTime(schedule: Schedule, earliestMs: number, nowMs: number, startingDeadlineSeconds?: number): MostRecent {
  let earliest = earliestMs;
  if (startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, nowMs - startingDeadlineSeconds * 1000);
  if (earliest > nowMs) return { missed: 0 };
  let t = schedule.next(earliest);
  let latest: number | undefined;
  let missed = 0;
  // Bounded walk: a schedule that fires every minute over a long outage stops counting at 1000.
  while (t !== undefined && t <= nowMs && missed < 1000) {
    latest = t;
    missed++;
    t = schedule.next(t);
  }
  return latest === undefined ? { missed: 0 } : { time: latest, missed };
}
