// Resource usage of a container: from its cgroup's counters when it has one (CPU time, working
// set), otherwise from /proc — the CPU time and resident set of the live processes of its process
// group (processes that left the group, and those that already exited, are not counted then).
// Also the disk usage of the runtime's root directory, for imageFsInfo.

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupDirs, Cgroups } from './cgroups.js';
import { procConstants, processGroupMembers, type ProcStat } from './proc.js';

export interface Usage {
  cpuNanos: number;
  workingSetBytes: number;
}

/** Usage from the cgroup, else from the group's processes (from `processes`, one /proc scan
 *  shared by many containers, or a fresh scan). */
export function containerUsage(cgroups: Cgroups, dirs: CgroupDirs | undefined, pgid: number | undefined, processes?: ProcStat[]): Usage {
  if (dirs) {
    const cpu = cgroups.cpuUsageNanos(dirs);
    const memory = cgroups.memoryWorkingSet(dirs);
    if (cpu !== undefined && memory !== undefined) return { cpuNanos: cpu, workingSetBytes: memory };
  }
  if (pgid === undefined) return { cpuNanos: 0, workingSetBytes: 0 };
  const { clockTicks, pageSize } = procConstants();
  let ticks = 0;
  let pages = 0;
  for (const p of processes ? processes.filter((q) => q.pgrp === pgid) : processGroupMembers(pgid)) {
    ticks += p.cpuTicks;
    pages += p.rssPages;
  }
  return { cpuNanos: Math.round((ticks * 1e9) / clockTicks), workingSetBytes: pages * pageSize };
}

/** Bytes and inodes used under dir (symlinks counted, not followed). */
export function directoryUsage(dir: string): { bytes: number; inodes: number } {
  let bytes = 0;
  let inodes = 0;
  const walk = (path: string) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    inodes++;
    bytes += st.blocks * 512;
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return { bytes, inodes };
}
