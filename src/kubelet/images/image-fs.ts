// The image filesystem's capacity and free space, as the kubelet's stats provider gives them to
// image GC: the runtime's CRI ImageFsInfo names the filesystem (its mountpoint) and what images
// use there; statfs of that mountpoint gives the capacity and the bytes available (cadvisor's part
// in Kubernetes).

import { statfs } from 'node:fs/promises';
import type { ImageService } from '../../runtime/runtime.js';

export interface ImageFsStats {
  mountpoint: string;
  capacityBytes: number;
  availableBytes: number;
  /** What the runtime says images use there. */
  usedBytes: number;
}

export interface FsSpace {
  capacityBytes: number;
  availableBytes: number;
}

/** statfs(2) of a path: total blocks and blocks available to unprivileged users, in bytes. */
export async function statfsSpace(path: string): Promise<FsSpace> {
  const s = await statfs(path);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
}

/** Reads the runtime's image filesystem (its first) and measures it. */
export async function readImageFsStats(images: Pick<ImageService, 'imageFsInfo'>, space: (path: string) => Promise<FsSpace> = statfsSpace): Promise<ImageFsStats> {
  const [fs] = await images.imageFsInfo();
  if (!fs?.mountpoint) throw new Error('the container runtime reports no image filesystem');
  const { capacityBytes, availableBytes } = await space(fs.mountpoint);
  return { mountpoint: fs.mountpoint, capacityBytes, availableBytes, usedBytes: fs.usedBytes };
}
