// Small OCI images built locally (no registry is reachable): a rootfs of Debian's static busybox
// with symlinks for the applets tests use, one gzipped layer, an image config (Entrypoint, Cmd,
// Env), a manifest and an index, written as an OCI image-layout tarball and imported into a
// containerd with `ctr images import`.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tar, type TarEntry } from './tar.js';

export const BUSYBOX = '/bin/busybox';

const APPLETS = [
  'sh', 'sleep', 'cat', 'echo', 'wget', 'nc', 'httpd', 'ls', 'true', 'false', 'env', 'head', 'tail',
  'dd', 'mkdir', 'rm', 'ps', 'id', 'hostname', 'ip', 'ifconfig', 'kill', 'yes', 'grep', 'printf',
  'test', 'seq', 'wc', 'date', 'touch', 'tee', 'tr', 'sed', 'awk', 'ping', 'nslookup', 'mount', 'cut',
];

export interface ImageSpec {
  /** The full reference, e.g. "kite.local/busybox:1". */
  name: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
}

export interface BuiltImage {
  name: string;
  /** The OCI image-layout tarball. */
  archive: Buffer;
  /** sha256:… of the image config: the image id CRI reports. */
  configDigest: string;
  manifestDigest: string;
}

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function rootfsLayer(): Buffer {
  const busybox = readFileSync(BUSYBOX);
  const entries: TarEntry[] = [
    ...['bin', 'dev', 'etc', 'proc', 'sys', 'root', 'var', 'usr', 'usr/bin', 'sbin'].map(
      (name): TarEntry => ({ type: 'dir', name }),
    ),
    { type: 'dir', name: 'tmp', mode: 0o1777 },
    { type: 'file', name: 'bin/busybox', data: busybox, mode: 0o755 },
    ...APPLETS.map((applet): TarEntry => ({ type: 'symlink', name: `bin/${applet}`, target: 'busybox' })),
    { type: 'file', name: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n') },
    { type: 'file', name: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
  ];
  return tar(entries);
}

let cachedLayer: { tar: Buffer; gz: Buffer } | undefined;

/** Builds the image (the busybox layer is built once per process and shared by every image). */
export function buildBusyboxImage(spec: ImageSpec): BuiltImage {
  if (!cachedLayer) {
    const layerTar = rootfsLayer();
    cachedLayer = { tar: layerTar, gz: gzipSync(layerTar, { level: 1 }) };
  }
  const { tar: layerTar, gz } = cachedLayer;
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch;
  const config = json({
    architecture,
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config: {
      Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      Cmd: spec.cmd ?? ['sh'],
      WorkingDir: spec.workingDir ?? '/',
    },
    rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'kite test/support/oci-image.ts (busybox-static)' }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(gz), size: gz.length }],
  });
  const tag = spec.name.slice(spec.name.lastIndexOf(':') + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(manifest),
        size: manifest.length,
        annotations: { 'io.containerd.image.name': spec.name, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  });
  const blob = (data: Buffer): TarEntry => ({ type: 'file', name: `blobs/sha256/${sha256(data).slice(7)}`, data });
  const archive = tar([
    { type: 'file', name: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'dir', name: 'blobs' },
    { type: 'dir', name: 'blobs/sha256' },
    blob(gz),
    blob(config),
    blob(manifest),
    { type: 'file', name: 'index.json', data: index },
  ]);
  return { name: spec.name, archive, configDigest: sha256(config), manifestDigest: sha256(manifest) };
}

/** Imports the image into containerd's k8s.io namespace (the CRI's) and unpacks it for overlayfs. */
export function importImage(containerdAddress: string, image: BuiltImage): void {
  const dir = mkdtempSync(join(tmpdir(), 'kite-oci-'));
  try {
    const file = join(dir, 'image.tar');
    writeFileSync(file, image.archive);
    const r = spawnSync('ctr', ['-a', containerdAddress, '-n', 'k8s.io', 'images', 'import', '--snapshotter', 'overlayfs', file], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) {
      throw new Error(`ctr images import ${image.name} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
