// ImageLocality: favours nodes that already have the pod's container images (node.status.images),
// by kube-scheduler's formula: the sum over containers of image size × (nodes with the image / all
// nodes), clamped to [23 MB, 1000 MB × containers] and scaled to 0–100. Image names without a tag
// get ":latest".

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type Handle, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Status } from '../../framework/status.js';

export const NAME = 'ImageLocality';
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const STATE_KEY = `PreScore${NAME}`;

/** normalizedImageName: a name without a tag (nothing after the last "/" has a ":") gets ":latest". */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** The images of one node: normalized name → size in bytes. */
export function nodeImages(node: Node | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const img of node?.status?.images ?? []) for (const n of img.names ?? []) out.set(normalizedImageName(n), img.sizeBytes ?? 0);
  return out;
}

/** Per image: how many nodes have it. */
function imageNodeCounts(nodes: NodeInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ni of nodes) for (const name of nodeImages(ni.node).keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface State {
  total: number;
  counts: Map<string, number>;
}

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;

  constructor(private readonly handle?: Handle) {}

  private compute(given: NodeInfo[]): State {
    const all = this.handle?.snapshot().list() ?? given;
    return { total: all.length, counts: imageNodeCounts(all) };
  }

  preScore(state: CycleState, _pod: Pod, nodes: NodeInfo[]): Status | undefined {
    state.write(STATE_KEY, this.compute(nodes));
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<State>(STATE_KEY) ?? this.compute([nodeInfo]);
    const images = nodeImages(nodeInfo.node);
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    let sum = 0;
    for (const c of containers) {
      if (!c.image) continue;
      const name = normalizedImageName(c.image);
      const size = images.get(name);
      if (size === undefined) continue;
      const spread = (s.counts.get(name) ?? 1) / Math.max(s.total, 1);
      sum += Math.trunc(size * spread);
    }
    return calculatePriority(sum, containers.length);
  }
}

export const newImageLocality = (_args: Record<string, unknown> | undefined, handle: Handle) => new ImageLocality(handle);
