// ImageLocality: favours nodes that already have the pod's container images (node.status.images),
// by kube-scheduler's formula: the sum over containers of image size × (nodes with the image / all
// nodes), clamped to [23 MB, 1000 MB × containers] and scaled to 0–100. Image names without a tag
// get ":latest".

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type Handle, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Status } from '../../framework/status.js';
import { imageNodeCounts, nodeImages, normalizedImageName } from '../../framework/images.js';

export const NAME = 'ImageLocality';
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const STATE_KEY = `PreScore${NAME}`;

export { imageNodeCounts, nodeImages, normalizedImageName };

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface State {
  total: number;
  counts: ReadonlyMap<string, number>;
  /** The normalized image names ('' for none) of the containers of the pod PreScore saw. */
  pod?: Pod;
  images?: string[];
}

function podImages(pod: Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => (c.image ? normalizedImageName(c.image) : ''));
}

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;

  constructor(private readonly handle?: Handle) {}

  private compute(given: NodeInfo[]): State {
    const snap = this.handle?.snapshot();
    const all = snap?.list() ?? given;
    // The snapshot keeps the counts while no Node changes; without one, count here.
    return { total: all.length, counts: snap?.imageNodeCounts?.() ?? imageNodeCounts(all) };
  }

  preScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status | undefined {
    state.write(STATE_KEY, { ...this.compute(nodes), pod, images: podImages(pod) });
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<State>(STATE_KEY) ?? this.compute([nodeInfo]);
    const images = nodeImages(nodeInfo.node);
    const names = s.pod === pod && s.images ? s.images : podImages(pod);
    if (images.size === 0) return calculatePriority(0, names.length);
    let sum = 0;
    for (const name of names) {
      if (!name) continue;
      const size = images.get(name);
      if (size === undefined) continue;
      const spread = (s.counts.get(name) ?? 1) / Math.max(s.total, 1);
      sum += Math.trunc(size * spread);
    }
    return calculatePriority(sum, names.length);
  }
}

export const newImageLocality = (_args: Record<string, unknown> | undefined, handle: Handle) => new ImageLocality(handle);
