// A container's root directory: <runtime root>/containers/<id>/rootfs. The process runtime cannot
// remap paths (no mount namespace), so processes see the host's filesystem and every hostPath at its
// real path. For each mount it makes a symlink <root>/<containerPath> → hostPath, and the container
// gets KITE_ROOT=<root> in its environment: a container finds a mount at $KITE_ROOT<containerPath>
// (and, with the default working directory, which is the root, at the relative path). `readonly`
// cannot be enforced without a mount namespace and is only reported back. A working
// directory that exists on the host is used as it is; one that does not is created inside the root.

import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Mount } from '../runtime.js';

/** Creates the root with one symlink per mount; returns its path. */
export function prepareContainerRoot(root: string, mounts: Mount[]): string {
  mkdirSync(root, { recursive: true });
  for (const mount of mounts) {
    const link = inside(root, mount.containerPath);
    if (link === root) continue;
    mkdirSync(dirname(link), { recursive: true });
    if (isPresent(link)) rmSync(link, { recursive: true, force: true });
    symlinkSync(mount.hostPath, link);
  }
  return root;
}

/** The working directory a container's processes start in. */
export function workingDirectory(root: string, workingDir: string | undefined): string {
  if (!workingDir) return root;
  if (existsSync(workingDir)) return workingDir;
  const dir = inside(root, workingDir);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function inside(root: string, containerPath: string): string {
  const parts = containerPath.split('/').filter((p) => p && p !== '.' && p !== '..');
  return join(root, ...parts);
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
