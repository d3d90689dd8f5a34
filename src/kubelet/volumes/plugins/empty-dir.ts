// emptyDir: a directory under the pod's directory (mode 0777). medium Memory is a tmpfs (sized by
// sizeLimit when set) when the kubelet can mount one (root); otherwise a plain directory and a
// warning. sizeLimit is recorded for eviction to enforce; nothing here stops a writer.

import { chmod, mkdir } from 'node:fs/promises';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../../api/quantity.js';
import { SetUpError } from '../errors.js';
import type { PluginContext, SetUpResult, VolumePlugin } from './plugin.js';

export const emptyDirPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~empty-dir',
  handles: (v) => !!v.emptyDir,
  async setUp(ctx: PluginContext, _pod: Pod, volume: Volume, dir: string): Promise<SetUpResult> {
    const source = volume.emptyDir ?? {};
    let sizeLimitBytes: number | undefined;
    if (source.sizeLimit !== undefined) {
      try {
        sizeLimitBytes = Quantity.parse(String(source.sizeLimit)).value();
      } catch (err) {
        throw new SetUpError(`invalid sizeLimit: ${(err as Error).message}`);
      }
    }
    await mkdir(dir, { recursive: true });
    if (source.medium === 'Memory') {
      if (ctx.mounter.canMountTmpfs) await ctx.mounter.mountTmpfs(dir, sizeLimitBytes);
      else ctx.warn(`emptyDir ${volume.name}: medium Memory is a plain directory (tmpfs needs root)`);
    } else if (source.medium && source.medium !== '') {
      throw new SetUpError(`unsupported emptyDir medium ${JSON.stringify(source.medium)}`);
    }
    await chmod(dir, 0o777);
    return { path: dir, readOnly: false, ...(sizeLimitBytes !== undefined ? { sizeLimitBytes } : {}) };
  },
};
