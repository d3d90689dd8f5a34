// Images for the process runtime: there is nothing to pull (containers run host programs), so an
// image is a record of its name. pullImage records it and answers a stable reference,
// kite.local/<name>@sha256:<sha256 of the name>; the records live in <root>/images.json.

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Image } from '../runtime.js';

/** Docker's normalization of a short name: "busybox" → "docker.io/library/busybox:latest". */
export function normalizeImageName(name: string): string {
  let ref = name;
  const at = ref.indexOf('@');
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (at < 0 && !lastPart.includes(':')) ref += ':latest';
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  return ref;
}

function digestOf(name: string): string {
  return 'sha256:' + createHash('sha256').update(name).digest('hex');
}

export function imageRefOf(name: string): string {
  const normalized = normalizeImageName(name);
  const repo = normalized.split('@')[0]!.replace(/:[^/:]*$/, '');
  return `kite.local/${repo}@${digestOf(normalized)}`;
}

export class ImageStore {
  private readonly file: string;
  private readonly images = new Map<string, Image>();

  constructor(root: string) {
    this.file = join(root, 'images.json');
    try {
      for (const image of JSON.parse(readFileSync(this.file, 'utf8')) as Image[]) this.images.set(image.id, image);
    } catch {
      // no images recorded yet
    }
  }

  /** Records the image; returns its reference. */
  pull(name: string): string {
    const normalized = normalizeImageName(name);
    const id = digestOf(normalized);
    const ref = imageRefOf(name);
    const existing = this.images.get(id);
    if (!existing) {
      this.images.set(id, { id, repoTags: [normalized], repoDigests: [ref], sizeBytes: 0 });
      this.save();
    }
    return ref;
  }

  /** Finds an image by name, reference or id. */
  find(nameOrRef: string): Image | undefined {
    const direct = this.images.get(nameOrRef);
    if (direct) return direct;
    for (const image of this.images.values()) {
      if (image.repoDigests.includes(nameOrRef)) return image;
    }
    if (nameOrRef.startsWith('kite.local/')) return undefined;
    return this.images.get(digestOf(normalizeImageName(nameOrRef)));
  }

  list(): Image[] {
    return [...this.images.values()];
  }

  remove(nameOrRef: string): void {
    const image = this.find(nameOrRef);
    if (image && this.images.delete(image.id)) this.save();
  }

  private save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.list()));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
