// VolumeManager: the pod's volumes on this node, under <dataDir>/pods/<uid>/volumes/<plugin>/<name>
// (hostPath and claims map to their own paths). mountPod sets every volume up (idempotent; re-run
// it to refresh configMap/secret/downwardAPI/projected content) and answers volume name → host
// path, with the pod's fsGroup applied to the volumes kept in the pod directory; containerMounts
// turns a container's volumeMounts into runtime Mounts; unmountPod unmounts any tmpfs below the
// pod directory and removes it. A failure is a VolumeError (FailedMount); an
// unbound claim's is `pending`.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { KeyValue, Mount } from '../../runtime/runtime.js';
import type { Clock } from '../../util/clock.js';
import type { PodAddresses } from '../env/field-ref.js';
import type { ResourceList } from '../env/resource-ref.js';
import type { ClusterLookup } from '../lookup/lookup.js';
import { buildContainerMounts } from './container-mounts.js';
import { SetUpError, VolumeError } from './errors.js';
import { SystemMounter, type Mounter } from './mounter.js';
import { setVolumeOwnership } from './ownership.js';
import { configMapPlugin, downwardAPIPlugin, secretPlugin } from './plugins/api-data.js';
import { emptyDirPlugin } from './plugins/empty-dir.js';
import { hostPathPlugin } from './plugins/host-path.js';
import type { PluginContext, VolumePlugin } from './plugins/plugin.js';
import { projectedPlugin } from './plugins/projected.js';
import { pvcPlugin } from './plugins/pvc.js';
import { TokenCache } from './plugins/token-cache.js';

export interface VolumeManagerOptions {
  /** The kubelet's data directory; pods live in <dataDir>/pods. */
  dataDir: string;
  lookup: ClusterLookup;
  clock: Clock;
  nodeAllocatable(): ResourceList | Promise<ResourceList>;
  /** Pod and node IPs the kubelet knows for a pod (downward API files); default: from pod.status. */
  addresses?(pod: Pod): PodAddresses;
  /** Default: tmpfs when root, plain directories otherwise. */
  mounter?: Mounter;
  /** Partial set-ups (a memory emptyDir on disk, a projected volume without its token). */
  onWarning?(pod: Pod, message: string): void;
}

const PLUGINS: VolumePlugin[] = [emptyDirPlugin, configMapPlugin, secretPlugin, downwardAPIPlugin, projectedPlugin, hostPathPlugin, pvcPlugin];

interface PodVolumes {
  readOnly: Set<string>;
  sizeLimits: Map<string, number>;
}

export class VolumeManager {
  private readonly mounter: Mounter;
  private readonly tokens: TokenCache;
  private readonly pods = new Map<string, PodVolumes>();

  constructor(private readonly options: VolumeManagerOptions) {
    this.mounter = options.mounter ?? new SystemMounter();
    this.tokens = new TokenCache(options.lookup, options.clock);
  }

  /** <dataDir>/pods/<uid>. */
  podDir(uid: string): string {
    return join(this.options.dataDir, 'pods', uid);
  }

  /** Sets up every volume of the pod; volume name → host path. Throws VolumeError. */
  async mountPod(pod: Pod): Promise<Map<string, string>> {
    const uid = pod.metadata?.uid ?? '';
    if (!uid) throw new Error('pod has no uid');
    const volumesDir = join(this.podDir(uid), 'volumes');
    await mkdir(volumesDir, { recursive: true });
    const ctx: PluginContext = {
      lookup: this.options.lookup,
      clock: this.options.clock,
      mounter: this.mounter,
      tokens: this.tokens,
      nodeAllocatable: () => this.options.nodeAllocatable(),
      addresses: this.options.addresses?.(pod) ?? {},
      warn: (message) => this.options.onWarning?.(pod, message),
    };
    const state: PodVolumes = { readOnly: new Set(), sizeLimits: new Map() };
    const out = new Map<string, string>();
    for (const volume of pod.spec?.volumes ?? []) {
      const plugin = pluginFor(volume);
      if (!plugin) throw new VolumeError(volume.name, 'volume type not supported on this node');
      const dir = join(volumesDir, plugin.dirName, volume.name);
      try {
        const r = await plugin.setUp(ctx, pod, volume, dir);
        if (plugin.dirName) await setVolumeOwnership(r.path, pod, r.readOnly);
        out.set(volume.name, r.path);
        if (r.readOnly) state.readOnly.add(volume.name);
        if (r.sizeLimitBytes !== undefined) state.sizeLimits.set(volume.name, r.sizeLimitBytes);
      } catch (err) {
        if (err instanceof SetUpError) throw new VolumeError(volume.name, err.message, err.pending);
        throw new VolumeError(volume.name, err instanceof Error ? err.message : String(err));
      }
    }
    this.pods.set(uid, state);
    return out;
  }

  /** The container's mounts (subPath/subPathExpr, readOnly); env is for subPathExpr. Throws ContainerConfigError. */
  containerMounts(pod: Pod, container: Container, mounted: ReadonlyMap<string, string>, env: readonly KeyValue[] = []): Mount[] {
    const state = this.pods.get(pod.metadata?.uid ?? '');
    return buildContainerMounts(container, mounted, state?.readOnly ?? new Set(), env);
  }

  /** emptyDir sizeLimits (bytes) of a mounted pod, for eviction. */
  sizeLimits(uid: string): ReadonlyMap<string, number> {
    return this.pods.get(uid)?.sizeLimits ?? new Map();
  }

  /** Unmounts tmpfs volumes below the pod directory and removes it. */
  async unmountPod(uid: string): Promise<void> {
    if (!uid) return;
    const dir = this.podDir(uid);
    for (const mp of await this.mounter.mountPointsUnder(dir)) await this.mounter.unmount(mp);
    const left = await this.mounter.mountPointsUnder(dir);
    if (left.length > 0) throw new Error(`cannot remove ${dir}: still mounted: ${left.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
    this.pods.delete(uid);
    this.tokens.forgetPod(uid);
  }
}

function pluginFor(volume: Volume): VolumePlugin | undefined {
  return PLUGINS.find((p) => p.handles(volume));
}
