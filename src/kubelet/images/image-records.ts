// What the image garbage collector knows of each image on the node (the kubelet's imageRecords):
// when it was first detected, when a container last used it, its size and whether the runtime
// pins it; which images are in use (an image is in use while any container the runtime keeps,
// running or exited, was made from it, matched by image id, repo digest or tag); and the
// eviction order — unused, unpinned images, least recently used first, ties broken by the
// earliest detected.

import type { Container, Image } from '../../runtime/runtime.js';

export interface ImageRecord {
  id: string;
  /** When the collector first saw the image (ms). */
  firstDetected: number;
  /** When a container was last seen using it (ms); 0: never. */
  lastUsed: number;
  sizeBytes: number;
  pinned: boolean;
  /** A name for logs: the first tag or digest, else the id. */
  name: string;
}

/** The image ids, digests and names the runtime's containers were made from. */
export function imageKeysInUse(containers: Container[]): Set<string> {
  const keys = new Set<string>();
  for (const c of containers) {
    if (c.imageRef) keys.add(c.imageRef);
    if (c.image) keys.add(c.image);
  }
  return keys;
}

export function isImageUsed(image: Image, keysInUse: Set<string>): boolean {
  return keysInUse.has(image.id) || image.repoDigests.some((d) => keysInUse.has(d)) || image.repoTags.some((t) => keysInUse.has(t));
}

export class ImageRecords {
  private readonly records = new Map<string, ImageRecord>();

  /** Records the runtime's images as of `now`: new ones detected now, used ones used now;
   *  images gone from the runtime are forgotten. Returns the ids of the images in use. */
  detect(images: Image[], keysInUse: Set<string>, now: number): Set<string> {
    const inUse = new Set<string>();
    const present = new Set<string>();
    for (const image of images) {
      present.add(image.id);
      let record = this.records.get(image.id);
      if (!record) {
        record = { id: image.id, firstDetected: now, lastUsed: 0, sizeBytes: 0, pinned: false, name: image.id };
        this.records.set(image.id, record);
      }
      if (isImageUsed(image, keysInUse)) {
        record.lastUsed = now;
        inUse.add(image.id);
      }
      record.sizeBytes = image.sizeBytes;
      record.pinned = image.pinned === true;
      record.name = image.repoTags[0] ?? image.repoDigests[0] ?? image.id;
    }
    for (const id of [...this.records.keys()]) if (!present.has(id)) this.records.delete(id);
    return inUse;
  }

  /** Unused, unpinned images, least recently used first (ties: earliest detected first). */
  evictionOrder(inUse: Set<string>): ImageRecord[] {
    return [...this.records.values()]
      .filter((r) => !inUse.has(r.id) && !r.pinned)
      .map((r) => ({ ...r }))
      .sort((a, b) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected);
  }

  forget(id: string): void {
    this.records.delete(id);
  }

  get(id: string): ImageRecord | undefined {
    return this.records.get(id);
  }
}
