// Resource limits through cgroups: finds what the host mounts (cgroup v2 unified, or v1's memory,
// cpu and cpuacct hierarchies — a hybrid host has both, and only v1 holds the controllers then),
// and gives each container its own cgroup under a Kite-owned parent:
// <mount>/<parent>/<sandbox id>/<container id>, with memory and CPU limits, OOM-kill counters,
// usage counters and the member pids. It only ever creates, writes and removes cgroups below that
// parent. When cgroups cannot be used (not root, nothing writable), `mode` is 'none' and `reason`
// says why: limits are then reported as not enforced, never pretended.

import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerResources } from '../runtime.js';

export type CgroupMode = 'v1' | 'v2' | 'none';

/** A container's cgroup directories by controller ("unified" for v2); what is persisted. */
export type CgroupDirs = Record<string, string>;

const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct'] as const;
const CPU_PERIOD_US = 100_000;

interface Mounts {
  v2?: string;
  v1: Partial<Record<(typeof V1_CONTROLLERS)[number], string>>;
}

function readMounts(): Mounts {
  const mounts: Mounts = { v1: {} };
  let text = '';
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return mounts;
  }
  for (const line of text.split('\n')) {
    const [, dir, type, options] = line.split(' ');
    if (!dir || !options) continue;
    if (type === 'cgroup2') {
      const controllers = readText(join(dir, 'cgroup.controllers')) ?? '';
      if (controllers.split(/\s+/).includes('memory')) mounts.v2 = dir;
    } else if (type === 'cgroup') {
      for (const opt of options.split(',')) {
        if ((V1_CONTROLLERS as readonly string[]).includes(opt)) mounts.v1[opt as (typeof V1_CONTROLLERS)[number]] = dir;
      }
    }
  }
  return mounts;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readNumber(path: string): number | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** A "key value" line's value from a flat-keyed file (memory.stat, memory.events, cpu.stat). */
function readKey(path: string, key: string): number | undefined {
  const text = readText(path);
  const line = text?.split('\n').find((l) => l.startsWith(key + ' '));
  return line ? Number(line.slice(key.length + 1)) : undefined;
}

export class Cgroups {
  readonly mode: CgroupMode;
  /** Why limits are not enforced, when mode is 'none'. */
  readonly reason: string;
  private readonly roots: Record<string, string> = {};

  constructor(options: { parent: string; enabled: boolean }) {
    const { mode, reason } = this.detect(options.parent, options.enabled);
    this.mode = mode;
    this.reason = reason;
  }

  private detect(parent: string, enabled: boolean): { mode: CgroupMode; reason: string } {
    if (!enabled) return { mode: 'none', reason: 'cgroups disabled by the runtime options' };
    if (process.getuid?.() !== 0) return { mode: 'none', reason: 'not running as root' };
    const mounts = readMounts();
    try {
      if (mounts.v2) {
        // The hierarchy's root is not Kite's to change: its children must already get memory and cpu.
        const delegated = (readText(join(mounts.v2, 'cgroup.subtree_control')) ?? '').split(/\s+/);
        if (!delegated.includes('memory') || !delegated.includes('cpu')) {
          return { mode: 'none', reason: `the cgroup v2 root ${mounts.v2} does not enable memory and cpu for its children` };
        }
        const root = join(mounts.v2, parent);
        mkdirSync(root, { recursive: true });
        enableControllers(root);
        this.roots.unified = root;
        return { mode: 'v2', reason: '' };
      }
      if (mounts.v1.memory && mounts.v1.cpu) {
        for (const c of V1_CONTROLLERS) {
          const mount = mounts.v1[c];
          if (!mount) continue;
          this.roots[c] = join(mount, parent);
          mkdirSync(this.roots[c], { recursive: true });
        }
        return { mode: 'v1', reason: '' };
      }
    } catch (err) {
      return { mode: 'none', reason: `cannot create cgroups: ${(err as Error).message}` };
    }
    return { mode: 'none', reason: 'no cgroup v2 memory controller and no cgroup v1 memory and cpu hierarchies mounted' };
  }

  /** Creates the container's cgroups and writes its limits; undefined when mode is 'none'. */
  create(sandboxId: string, containerId: string, resources: ContainerResources | undefined): CgroupDirs | undefined {
    if (this.mode === 'none') return undefined;
    const dirs: CgroupDirs = {};
    for (const [controller, root] of Object.entries(this.roots)) {
      const sandboxDir = join(root, sandboxId);
      mkdirSync(sandboxDir, { recursive: true });
      if (this.mode === 'v2') enableControllers(sandboxDir);
      dirs[controller] = join(sandboxDir, containerId);
      mkdirSync(dirs[controller]!, { recursive: true });
    }
    this.applyLimits(dirs, resources ?? {});
    return dirs;
  }

  private applyLimits(dirs: CgroupDirs, r: ContainerResources): void {
    const memory = r.memoryLimitBytes && r.memoryLimitBytes > 0 ? r.memoryLimitBytes : undefined;
    const quota = r.cpuLimitMillis && r.cpuLimitMillis > 0 ? Math.max(1000, (r.cpuLimitMillis * CPU_PERIOD_US) / 1000) : undefined;
    const shares = r.cpuRequestMillis && r.cpuRequestMillis > 0 ? Math.max(2, Math.floor((r.cpuRequestMillis * 1024) / 1000)) : undefined;
    if (this.mode === 'v2') {
      const dir = dirs.unified!;
      if (memory) {
        writeFileSync(join(dir, 'memory.max'), String(memory));
        if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
      }
      if (quota) writeFileSync(join(dir, 'cpu.max'), `${Math.floor(quota)} ${CPU_PERIOD_US}`);
      if (shares) writeFileSync(join(dir, 'cpu.weight'), String(1 + Math.floor(((shares - 2) * 9999) / 262142)));
      return;
    }
    if (memory && dirs.memory) {
      writeFileSync(join(dirs.memory, 'memory.limit_in_bytes'), String(memory));
      // With swap accounting, memory+swap gets the same limit so the container cannot swap past it.
      const memsw = join(dirs.memory, 'memory.memsw.limit_in_bytes');
      if (existsSync(memsw)) writeFileSync(memsw, String(memory));
    }
    if (dirs.cpu) {
      if (quota) {
        writeFileSync(join(dirs.cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        writeFileSync(join(dirs.cpu, 'cpu.cfs_quota_us'), String(Math.floor(quota)));
      }
      if (shares) writeFileSync(join(dirs.cpu, 'cpu.shares'), String(shares));
    }
  }

  /** The cgroup.procs files a process writes its pid to, to join the container's cgroups. */
  procsFiles(dirs: CgroupDirs): string[] {
    return Object.values(dirs).map((d) => join(d, 'cgroup.procs'));
  }

  /** Pids in the container's cgroup (any one hierarchy holds them all). */
  pids(dirs: CgroupDirs): number[] {
    const dir = dirs.unified ?? dirs.memory;
    const text = dir ? readText(join(dir, 'cgroup.procs')) : undefined;
    return (text ?? '').split('\n').filter(Boolean).map(Number);
  }

  /** How many times the kernel's OOM killer has killed a process of this cgroup. */
  oomKills(dirs: CgroupDirs): number {
    if (dirs.unified) return readKey(join(dirs.unified, 'memory.events'), 'oom_kill') ?? 0;
    if (dirs.memory) return readKey(join(dirs.memory, 'memory.oom_control'), 'oom_kill') ?? 0;
    return 0;
  }

  /** Working set (usage minus inactive file cache, as the kubelet computes it), in bytes. */
  memoryWorkingSet(dirs: CgroupDirs): number | undefined {
    if (dirs.unified) {
      const usage = readNumber(join(dirs.unified, 'memory.current'));
      const inactive = readKey(join(dirs.unified, 'memory.stat'), 'inactive_file') ?? 0;
      return usage === undefined ? undefined : Math.max(0, usage - inactive);
    }
    if (dirs.memory) {
      const usage = readNumber(join(dirs.memory, 'memory.usage_in_bytes'));
      const inactive = readKey(join(dirs.memory, 'memory.stat'), 'total_inactive_file') ?? 0;
      return usage === undefined ? undefined : Math.max(0, usage - inactive);
    }
    return undefined;
  }

  /** Cumulative CPU time of the cgroup in nanoseconds. */
  cpuUsageNanos(dirs: CgroupDirs): number | undefined {
    if (dirs.unified) {
      const usec = readKey(join(dirs.unified, 'cpu.stat'), 'usage_usec');
      return usec === undefined ? undefined : usec * 1000;
    }
    const dir = dirs.cpuacct ?? dirs.cpu;
    return dir ? readNumber(join(dir, 'cpuacct.usage')) : undefined;
  }

  /** Removes the container's cgroups; false while a process is still in one (retry after killing). */
  remove(dirs: CgroupDirs): boolean {
    let done = true;
    for (const dir of Object.values(dirs)) done = removeDir(dir) && done;
    return done;
  }

  /** Removes the sandbox's parent cgroups once its containers' are gone. */
  removeSandbox(sandboxId: string): boolean {
    let done = true;
    for (const root of Object.values(this.roots)) done = removeDir(join(root, sandboxId)) && done;
    return done;
  }
}

function enableControllers(dir: string): void {
  const available = (readText(join(dir, 'cgroup.controllers')) ?? '').split(/\s+/);
  const wanted = ['memory', 'cpu'].filter((c) => available.includes(c));
  if (wanted.length) writeFileSync(join(dir, 'cgroup.subtree_control'), wanted.map((c) => '+' + c).join(' '));
}

function removeDir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT';
  }
}
