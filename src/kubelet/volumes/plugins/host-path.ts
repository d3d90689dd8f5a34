// hostPath: the node's own path, checked against the volume's type as Kubernetes' hostPath plugin
// does — DirectoryOrCreate/FileOrCreate create what is missing (0755 directories, 0644 files),
// Directory/File/Socket/CharDevice/BlockDevice must already be one, "" checks nothing.

import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { SetUpError } from '../errors.js';
import type { PluginContext, SetUpResult, VolumePlugin } from './plugin.js';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** checkTypeInternal: throws SetUpError with Kubernetes' wording. */
export function checkHostPathType(path: string, type: string | undefined): void {
  const fail = (what: string) => {
    throw new SetUpError(`hostPath type check failed: ${path} is not ${what}`);
  };
  const st = statOf(path);
  const t = type ?? '';
  if (t === 'DirectoryOrCreate' && !st) {
    try {
      mkdirSync(path, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new SetUpError((err as Error).message);
    }
    return;
  }
  if (t === 'FileOrCreate' && !st) {
    try {
      closeSync(openSync(path, 'a', 0o644));
    } catch (err) {
      throw new SetUpError((err as Error).message);
    }
    return;
  }
  switch (t) {
    case '':
      return;
    case 'DirectoryOrCreate':
    case 'Directory':
      if (!st?.isDirectory()) fail('a directory');
      return;
    case 'FileOrCreate':
    case 'File':
      if (!st?.isFile()) fail('a file');
      return;
    case 'Socket':
      if (!st?.isSocket()) fail('a socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) fail('a character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) fail('a block device');
      return;
    default:
      throw new SetUpError(`${type} is an invalid volume type`);
  }
}

export const hostPathPlugin: VolumePlugin = {
  dirName: '',
  handles: (v) => !!v.hostPath,
  async setUp(_ctx: PluginContext, _pod: Pod, volume: Volume): Promise<SetUpResult> {
    const source = volume.hostPath as { path: string; type?: string };
    checkHostPathType(source.path, source.type);
    return { path: source.path, readOnly: false };
  },
};
