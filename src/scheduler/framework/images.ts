// Container images on nodes (the cache's imageStates): a node's images by normalized name with
// their sizes — computed once per Node object — and, over a list of nodes, how many nodes have
// each image (ImageStateSummary.NumNodes). Names without a tag get ":latest".

import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './node-info.js';

/** normalizedImageName: a name without a tag (nothing after the last "/" has a ":") gets ":latest". */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

const NO_IMAGES: ReadonlyMap<string, number> = new Map();
const byNode = new WeakMap<Node, ReadonlyMap<string, number>>();

/** The images of one node: normalized name → size in bytes (cached per Node object). */
export function nodeImages(node: Node | undefined): ReadonlyMap<string, number> {
  if (!node?.status?.images?.length) return NO_IMAGES;
  let out = byNode.get(node);
  if (out) return out;
  const m = new Map<string, number>();
  for (const img of node.status.images) for (const n of img.names ?? []) m.set(normalizedImageName(n), img.sizeBytes ?? 0);
  byNode.set(node, m);
  out = m;
  return out;
}

/** Per image: how many of the nodes have it. */
export function imageNodeCounts(nodes: NodeInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ni of nodes) for (const name of nodeImages(ni.node).keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
