// The configMap, secret and downwardAPI volume plugins: each builds its payload and writes it with
// the atomic writer into the volume directory (a tmpfs for secrets when the kubelet can mount one,
// as Kubernetes keeps secrets off disk). Re-running setUp refreshes the content. All three are
// mounted read-only into containers.

import { mkdir } from 'node:fs/promises';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { writeAtomically, type Payload } from '../atomic-writer.js';
import { memoryVolumeSize, podMemoryLimit, quantityBytes } from './empty-dir.js';
import { DEFAULT_MODE, configMapPayload, downwardAPIPayload, secretPayload } from './payloads.js';
import type { PluginContext, SetUpResult, VolumePlugin } from './plugin.js';

/** Creates dir (on a tmpfs sized as a memory emptyDir, when asked and possible) and writes the payload into it. */
export async function writeVolume(ctx: PluginContext, pod: Pod, dir: string, payload: Payload, onTmpfs: boolean): Promise<SetUpResult> {
  await mkdir(dir, { recursive: true });
  if (onTmpfs && ctx.mounter.canMountTmpfs) {
    const allocatable = quantityBytes((await ctx.nodeAllocatable()).memory);
    await ctx.mounter.mountTmpfs(dir, memoryVolumeSize(allocatable, podMemoryLimit(pod), undefined));
  }
  await writeAtomically(dir, payload, ctx.clock);
  return { path: dir, readOnly: true };
}

export const configMapPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~configmap',
  handles: (v) => !!v.configMap,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string) {
    const source = volume.configMap ?? {};
    const payload = await configMapPayload(ctx, pod.metadata?.namespace ?? '', source, source.defaultMode ?? DEFAULT_MODE);
    return writeVolume(ctx, pod, dir, payload, false);
  },
};

export const secretPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~secret',
  handles: (v) => !!v.secret,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string) {
    const source = volume.secret ?? {};
    const payload = await secretPayload(ctx, pod.metadata?.namespace ?? '', { ...source, name: source.secretName }, source.defaultMode ?? DEFAULT_MODE);
    return writeVolume(ctx, pod, dir, payload, true);
  },
};

export const downwardAPIPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~downward-api',
  handles: (v) => !!v.downwardAPI,
  async setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string) {
    const source = volume.downwardAPI ?? {};
    const payload = await downwardAPIPayload(ctx, pod, source.items, source.defaultMode ?? DEFAULT_MODE);
    return writeVolume(ctx, pod, dir, payload, false);
  },
};
