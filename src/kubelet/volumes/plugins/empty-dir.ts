// emptyDir: a directory under the pod's directory (mode 0777). medium Memory is a tmpfs when the
// kubelet can mount one (root), sized as Kubernetes' calculateEmptyDirMemorySize does: the node's
// allocatable memory, lowered to the pod's memory limit and then to the volume's sizeLimit; without
// tmpfs it is a plain directory and a warning. sizeLimit is recorded for eviction to enforce;
// nothing here stops a writer on disk.

import { chmod, mkdir } from 'node:fs/promises';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../../api/quantity.js';
import { SetUpError } from '../errors.js';
import type { PluginContext, SetUpResult, VolumePlugin } from './plugin.js';

/** A quantity in whole bytes (undefined when unset); SetUpError when it does not parse. */
export function quantityBytes(q: string | number | undefined): number | undefined {
  if (q === undefined || q === '') return undefined;
  try {
    return Quantity.parse(String(q)).value();
  } catch (err) {
    throw new SetUpError(`invalid quantity ${JSON.stringify(q)}: ${(err as Error).message}`);
  }
}

/** The pod's memory limit as its cgroup gets it: every container limited, else none. */
export function podMemoryLimit(pod: Pod): number | undefined {
  const limit = (c: Container) => quantityBytes(c.resources?.limits?.memory);
  const regular = (pod.spec?.containers ?? []).map(limit);
  if (regular.length === 0 || regular.some((l) => l === undefined)) return undefined;
  let total = regular.reduce<number>((a, b) => a + (b ?? 0), 0);
  for (const c of pod.spec?.initContainers ?? []) {
    const l = limit(c);
    if (l === undefined) return undefined;
    if (c.restartPolicy === 'Always') total += l; // a sidecar runs beside the others
    else total = Math.max(total, l);
  }
  return total;
}

/** The tmpfs size for a memory-backed emptyDir. */
export function memoryVolumeSize(allocatableMemory: number | undefined, podLimit: number | undefined, sizeLimit: number | undefined): number | undefined {
  let size = allocatableMemory;
  const lower = (v: number | undefined) => {
    if (v !== undefined && v > 0 && (size === undefined || v <= size)) size = v;
  };
  lower(podLimit);
  lower(sizeLimit);
  return size;
}

export const emptyDirPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~empty-dir',
  handles: (v) => !!v.emptyDir,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string): Promise<SetUpResult> {
    const source = volume.emptyDir ?? {};
    const sizeLimitBytes = quantityBytes(source.sizeLimit);
    await mkdir(dir, { recursive: true });
    if (source.medium === 'Memory') {
      if (ctx.mounter.canMountTmpfs) {
        const allocatable = quantityBytes((await ctx.nodeAllocatable()).memory);
        await ctx.mounter.mountTmpfs(dir, memoryVolumeSize(allocatable, podMemoryLimit(pod), sizeLimitBytes));
      } else ctx.warn(`emptyDir ${volume.name}: medium Memory is a plain directory (tmpfs needs root)`);
    } else if (source.medium && source.medium !== '') {
      throw new SetUpError(`unsupported emptyDir medium ${JSON.stringify(source.medium)}`);
    }
    await chmod(dir, 0o777);
    return { path: dir, readOnly: false, ...(sizeLimitBytes !== undefined ? { sizeLimitBytes } : {}) };
  },
};
