// Eviction signals observed on this host (what the kubelet's summary provider feeds its eviction
// manager): memory.available from /proc/meminfo's MemAvailable out of MemTotal; nodefs.available
// and nodefs.inodesFree from statfs of the kubelet's data directory; imagefs the same filesystem
// (the process runtime keeps its images there); pid.available as kernel.pid_max less the tasks
// that exist (/proc/loadavg's total).

import { readFileSync, statfsSync } from 'node:fs';
import type { Observations } from './thresholds.js';

/** Observes the signals; injected so tests can feed their own. */
export type SignalObserver = () => Observations;

/** MemTotal and MemAvailable (bytes) from /proc/meminfo text; undefined when either is missing. */
export function parseMeminfo(text: string): { total: number; available: number } | undefined {
  const kib = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  return total === undefined || available === undefined ? undefined : { total, available };
}

/** The number of tasks (processes and threads) from /proc/loadavg text ("0.1 0.2 0.3 2/345 678"). */
export function parseLoadavgTasks(text: string): number | undefined {
  const m = /\s\d+\/(\d+)\s/.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The host observer for a kubelet whose data directory is `dataDir`; signals it cannot read are left out. */
export function hostSignalObserver(dataDir: string, procRoot = '/proc'): SignalObserver {
  return () => {
    const out: Observations = {};
    const mem = parseMeminfo(read(`${procRoot}/meminfo`) ?? '');
    if (mem) out['memory.available'] = { available: mem.available, capacity: mem.total };
    try {
      const fs = statfsSync(dataDir);
      const bytes = { available: Number(fs.bavail) * Number(fs.bsize), capacity: Number(fs.blocks) * Number(fs.bsize) };
      out['nodefs.available'] = bytes;
      out['imagefs.available'] = bytes;
      if (Number(fs.files) > 0) {
        const inodes = { available: Number(fs.ffree), capacity: Number(fs.files) };
        out['nodefs.inodesFree'] = inodes;
        out['imagefs.inodesFree'] = inodes;
      }
    } catch {
      // no data directory yet: no filesystem signals
    }
    const pidMax = Number(read(`${procRoot}/sys/kernel/pid_max`)?.trim());
    const tasks = parseLoadavgTasks(read(`${procRoot}/loadavg`) ?? '');
    if (Number.isFinite(pidMax) && pidMax > 0 && tasks !== undefined) out['pid.available'] = { available: pidMax - tasks, capacity: pidMax };
    return out;
  };
}
