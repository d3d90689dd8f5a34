// The few mount operations the volume plugins need — tmpfs for memory-backed emptyDirs and for
// secret/projected volumes (as Kubernetes keeps secrets off disk), unmount, and finding mount
// points under a directory (/proc/self/mountinfo) — behind an interface so that tests and
// unprivileged kubelets can use plain directories instead.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mounter {
  /** Whether tmpfs mounts can be made (root, with mount(8) available). */
  readonly canMountTmpfs: boolean;
  /** Mounts a tmpfs on dir (which exists) unless one is already there; sizeBytes caps it. */
  mountTmpfs(dir: string, sizeBytes?: number): Promise<void>;
  /** Every mount point at or below dir, deepest first. */
  mountPointsUnder(dir: string): Promise<string[]>;
  unmount(dir: string): Promise<void>;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''));
}

export class SystemMounter implements Mounter {
  readonly canMountTmpfs: boolean;

  constructor(options: { allowTmpfs?: boolean } = {}) {
    this.canMountTmpfs = (options.allowTmpfs ?? true) && process.platform === 'linux' && process.getuid?.() === 0;
  }

  async mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
    if ((await mountPoints()).includes(dir)) return;
    const opts = ['mode=0777', ...(sizeBytes ? [`size=${sizeBytes}`] : [])].join(',');
    await run('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  }

  async mountPointsUnder(dir: string): Promise<string[]> {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return (await mountPoints()).filter((p) => p === dir || p.startsWith(prefix)).sort((a, b) => b.length - a.length);
  }

  async unmount(dir: string): Promise<void> {
    await run('umount', [dir]);
  }
}

/** No mounts at all: memory-backed volumes are plain directories. */
export const plainDirectoryMounter: Mounter = {
  canMountTmpfs: false,
  mountTmpfs: async () => {},
  mountPointsUnder: async () => [],
  unmount: async () => {},
};
