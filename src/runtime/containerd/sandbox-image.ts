// The sandbox (pause) image as pinned: containerd 1.7+ reports its configured sandbox image with
// CRI `pinned` so the kubelet's image GC keeps it; older containerd (Debian's 1.6) does not. The
// name comes from the CRI plugin's config in a verbose Status (info.config.sandboxImage, what
// `crictl info` shows), asked once; the image is found by that tag or digest, else through
// ImageStatus (containerd's own name resolution).

import type { Image } from '../runtime.js';

export interface SandboxImageSource {
  /** The CRI verbose Status info (JSON strings by key). */
  statusInfo(): Promise<Record<string, string>>;
  /** The id of the image by that name, or undefined when absent. */
  imageId(name: string): Promise<string | undefined>;
}

export class SandboxImagePin {
  private name: Promise<string | undefined> | undefined;

  constructor(private readonly source: SandboxImageSource) {}

  /** The configured sandbox image's name; undefined when the runtime does not say (asked again next time). */
  sandboxImage(): Promise<string | undefined> {
    this.name ??= this.source.statusInfo().then(
      (info) => {
        const config = JSON.parse(info['config'] ?? '{}') as { sandboxImage?: unknown };
        return typeof config.sandboxImage === 'string' && config.sandboxImage ? config.sandboxImage : undefined;
      },
      () => {
        this.name = undefined;
        return undefined;
      },
    );
    return this.name;
  }

  /** The images, with the sandbox image marked pinned; `resolve`: when no image carries its name,
   *  ask the runtime which image it names (a list of every image; not for a single image's status). */
  async mark(images: Image[], resolve = true): Promise<Image[]> {
    if (images.some((i) => i.pinned)) return images; // the runtime pins by itself
    const name = await this.sandboxImage();
    if (!name) return images;
    let id = images.find((i) => i.id === name || i.repoTags.includes(name) || i.repoDigests.includes(name))?.id;
    if (id === undefined && resolve && images.length > 0) id = await this.source.imageId(name).catch(() => undefined);
    return images.map((i) => (i.id === id ? { ...i, pinned: true } : i));
  }
}
