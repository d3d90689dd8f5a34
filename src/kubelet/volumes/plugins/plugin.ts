// The contract of one volume plugin: which volumes it handles, the directory name it keeps them
// under (<pod dir>/volumes/<plugin>/<name>, Kubernetes' escaped plugin names) and setUp, which
// makes the volume's content ready and answers the host path containers mount.

import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../../util/clock.js';
import type { PodAddresses } from '../../env/field-ref.js';
import type { ResourceList } from '../../env/resource-ref.js';
import type { ClusterLookup } from '../../lookup/lookup.js';
import type { Mounter } from '../mounter.js';
import type { TokenCache } from './token-cache.js';

export interface PluginContext {
  lookup: ClusterLookup;
  clock: Clock;
  mounter: Mounter;
  tokens: TokenCache;
  nodeAllocatable(): ResourceList | Promise<ResourceList>;
  /** Pod and node IPs the kubelet knows (downward API). */
  addresses: PodAddresses;
  /** Something was set up only in part (reported, not fatal). */
  warn(message: string): void;
}

export interface SetUpResult {
  /** The host path containers mount. */
  path: string;
  /** Mounted read-only into every container (API data volumes, read-only claims). */
  readOnly: boolean;
  /** emptyDir sizeLimit in bytes, enforced by eviction. */
  sizeLimitBytes?: number;
}

export interface VolumePlugin {
  /** Kubernetes' escaped plugin name, e.g. "kubernetes.io~empty-dir" (empty for plugins without a pod directory). */
  readonly dirName: string;
  handles(volume: Volume): boolean;
  /** dir is <pod dir>/volumes/<dirName>/<volume name>, not yet created. Throws SetUpError. */
  setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string): Promise<SetUpResult>;
}
