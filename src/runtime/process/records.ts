// What the process runtime remembers about each sandbox and container, and where it keeps it on
// disk so a restarted runtime (a restarted kubelet) finds them again:
//   <root>/sandboxes/<id>.json
//   <root>/containers/<id>/state.json   (beside: stdout/stderr FIFOs, the exit-code file, rootfs/)
// Files are written whole to a temporary name and renamed, so a crash leaves the old or the new.

import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, ContainerState, PodSandboxConfig, PodSandboxState } from '../runtime.js';
import type { CgroupDirs } from './cgroups.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  createdAt: number;
  ips: string[];
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  /** Absolute path of the CRI log file. */
  logPath: string;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  /** The command once started; its pid is also the container's process group id. */
  pid?: number;
  /** Its start time from /proc/<pid>/stat, telling it apart from a later process with the same pid. */
  pidStartTime?: number;
  /** kite-init, which waits for the command and records its exit code, and its start time. */
  initPid?: number;
  initStartTime?: number;
  cgroups?: CgroupDirs;
  /** The runtime sent SIGKILL itself (so a kill is not mistaken for an OOM kill). */
  killedByRuntime?: boolean;
}

export class RecordStore {
  constructor(private readonly root: string) {
    mkdirSync(join(root, 'sandboxes'), { recursive: true });
    mkdirSync(join(root, 'containers'), { recursive: true });
  }

  containerDir(id: string): string {
    return join(this.root, 'containers', id);
  }

  saveSandbox(record: SandboxRecord): void {
    writeJson(join(this.root, 'sandboxes', `${record.id}.json`), record);
  }

  saveContainer(record: ContainerRecord): void {
    mkdirSync(this.containerDir(record.id), { recursive: true });
    writeJson(join(this.containerDir(record.id), 'state.json'), record);
  }

  deleteSandbox(id: string): void {
    rmSync(join(this.root, 'sandboxes', `${id}.json`), { force: true });
  }

  /** Removes the container's record and its whole state directory. */
  deleteContainer(id: string): void {
    rmSync(this.containerDir(id), { recursive: true, force: true });
  }

  loadSandboxes(): SandboxRecord[] {
    const dir = join(this.root, 'sandboxes');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => readJson<SandboxRecord>(join(dir, f)) ?? []);
  }

  loadContainers(): ContainerRecord[] {
    const dir = join(this.root, 'containers');
    return readdirSync(dir).flatMap((id) => readJson<ContainerRecord>(join(dir, id, 'state.json')) ?? []);
  }
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
