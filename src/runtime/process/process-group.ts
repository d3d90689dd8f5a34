// Stopping everything a container runs: SIGTERM to its process group (and to any process of its
// cgroup that left the group with setsid), SIGKILL to what is left once the grace period is over,
// and a wait until none of them is alive. Waits poll /proc through the injected clock.

import type { Clock } from '../../util/clock.js';
import { isProcessAlive, processGroupMembers, signalGroup, signalProcess } from './proc.js';

/** How long SIGKILLed processes may take to disappear before stopping fails. */
export const KILL_WAIT_MS = 10_000;

export interface GroupStopOptions {
  /** The process group, when it is known to be the container's (else only extraPids are signalled). */
  pgid: number | undefined;
  /** Other pids that belong to the container (its cgroup's members), read afresh each time. */
  extraPids: () => number[];
  graceMs: number;
  clock: Clock;
  /** Called just before SIGKILL is sent. */
  onKill?: () => void;
}

/** True when no process of the group (nor any extra pid) is alive. */
export function groupGone(pgid: number | undefined, extraPids: () => number[]): boolean {
  return (pgid === undefined || processGroupMembers(pgid).length === 0) && extraPids().every((pid) => !isProcessAlive(pid));
}

/** Signals the group and the extra pids. */
export function signalAll(pgid: number | undefined, extraPids: () => number[], signal: NodeJS.Signals): void {
  if (pgid !== undefined) signalGroup(pgid, signal);
  for (const pid of extraPids()) signalProcess(pid, signal);
}

/** Polls until the condition holds or the time is up; returns whether it held. */
export async function pollUntil(clock: Clock, condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  let interval = 10;
  for (;;) {
    if (condition()) return true;
    if (clock.now() >= deadline) return false;
    await clock.sleep(Math.min(interval, Math.max(1, deadline - clock.now())));
    interval = Math.min(interval * 2, 200);
  }
}

/** SIGTERM, grace, SIGKILL; resolves once all are gone and says whether SIGKILL was needed. */
export async function stopProcessGroup(options: GroupStopOptions): Promise<{ killed: boolean }> {
  const { pgid, extraPids, clock } = options;
  const gone = () => groupGone(pgid, extraPids);
  if (gone()) return { killed: false };
  if (options.graceMs > 0) {
    signalAll(pgid, extraPids, 'SIGTERM');
    if (await pollUntil(clock, gone, options.graceMs)) return { killed: false };
  }
  options.onKill?.();
  signalAll(pgid, extraPids, 'SIGKILL');
  if (!(await pollUntil(clock, () => (signalAll(pgid, extraPids, 'SIGKILL'), gone()), KILL_WAIT_MS))) {
    throw new Error(`processes of group ${pgid} still alive ${KILL_WAIT_MS} ms after SIGKILL`);
  }
  return { killed: true };
}
