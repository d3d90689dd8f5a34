// Reading processes from /proc: one process's stat line (process group, state, start time, CPU
// time, RSS), whether a pid still names the process we started (pid + start time, so a reused pid
// is not mistaken for it), and the live (non-zombie) members of a process group.

import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ProcStat {
  pid: number;
  /** One-letter state: R, S, D, Z (zombie), T, … */
  state: string;
  ppid: number;
  pgrp: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
  /** Start time after boot in clock ticks: with the pid, identifies one process over time. */
  startTime: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat; undefined when the process does not exist. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid,
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    cpuTicks: field(14) + field(15),
    startTime: field(22),
    rssPages: field(24),
  };
}

/** True when pid is alive (not a zombie) and, if given, started at startTime. */
export function isProcessAlive(pid: number, startTime?: number): boolean {
  const stat = readProcStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

/** Every live (non-zombie) process. */
export function liveProcesses(): ProcStat[] {
  const live: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') live.push(stat);
  }
  return live;
}

/** The live processes whose process group is pgid. */
export function processGroupMembers(pgid: number): ProcStat[] {
  return liveProcesses().filter((p) => p.pgrp === pgid);
}

/** Pids of the live children of pid. */
export function childrenOf(pid: number): number[] {
  return liveProcesses().flatMap((p) => (p.ppid === pid ? [p.pid] : []));
}

let systemConstants: { clockTicks: number; pageSize: number } | undefined;

/** Clock ticks per second and the page size (getconf, once; Linux defaults if it fails). */
export function procConstants(): { clockTicks: number; pageSize: number } {
  if (!systemConstants) {
    const read = (name: string, fallback: number) => {
      try {
        const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
        return Number.isFinite(value) && value > 0 ? value : fallback;
      } catch {
        return fallback;
      }
    };
    systemConstants = { clockTicks: read('CLK_TCK', 100), pageSize: read('PAGESIZE', 4096) };
  }
  return systemConstants;
}

/** Sends signal to every process in the group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Sends signal to one process; false when it is already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** True when the process's environment holds exactly this NAME=value entry. */
export function environHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}

