// fsGroup ownership (pkg/volume/volume_linux.go SetVolumeOwnership): with pod.spec.securityContext
// .fsGroup set, every file and directory of a volume that supports it gets that group, group
// read (and write, unless the volume is read-only) permission, and directories the setgid bit so
// new files inherit the group. Symlinks are not followed. fsGroupChangePolicy OnRootMismatch skips
// the walk when the volume's root already has the group and permissions. Needs root (chown).

import { chown, lstat, readdir, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';

const RW = 0o660;
const RO = 0o440;
const EXEC = 0o110;
const SETGID = 0o2000;

function wantedMode(mode: number, isDir: boolean, readOnly: boolean): number {
  let m = mode | (readOnly ? RO : RW);
  if (isDir) m |= SETGID | EXEC;
  return m & 0o7777;
}

async function fix(path: string, gid: number, readOnly: boolean): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) return;
  if (st.gid !== gid) await chown(path, -1, gid);
  const mode = wantedMode(st.mode & 0o7777, st.isDirectory(), readOnly);
  if (mode !== (st.mode & 0o7777)) await chmod(path, mode);
  if (st.isDirectory()) for (const name of await readdir(path)) await fix(join(path, name), gid, readOnly);
}

async function rootMatches(dir: string, gid: number, readOnly: boolean): Promise<boolean> {
  const st = await lstat(dir);
  const mode = st.mode & 0o7777;
  return st.gid === gid && mode === wantedMode(mode, true, readOnly);
}

/** Applies the pod's fsGroup to a volume directory; a no-op without fsGroup or when not root. */
export async function setVolumeOwnership(dir: string, pod: Pod, readOnly: boolean): Promise<void> {
  const gid = pod.spec?.securityContext?.fsGroup;
  if (gid === undefined || process.getuid?.() !== 0) return;
  if (pod.spec?.securityContext?.fsGroupChangePolicy === 'OnRootMismatch' && (await rootMatches(dir, gid, readOnly))) return;
  await fix(dir, gid, readOnly);
}
