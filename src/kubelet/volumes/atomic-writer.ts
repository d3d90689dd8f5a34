// The atomic writer of configMap, secret, downwardAPI and projected volumes
// (pkg/volume/util/atomic_writer.go): the files live in a timestamped hidden directory
// (..2026_01_01_00_00_00.123456789), `..data` is a symlink to it, and every user-visible top-level
// name is a symlink through `..data`. A new payload is written to a fresh directory and `..data` is
// swapped with one rename, so a reader sees either the old or the new set, never a mix. Unchanged
// payloads (same paths and contents) are left alone; names no longer in the payload are removed.

import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Clock } from '../../util/clock.js';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (e.g. 0o644). */
  mode: number;
}

/** Relative path → file. */
export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';

/** Rejects absolute paths, `..` components and names starting with `..` (validatePath). */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error('invalid path: must not be empty');
  if (p.length > 4096) throw new Error(`invalid path: must be less than or equal to 4096 characters`);
  if (posix.isAbsolute(p)) throw new Error('invalid path: must be relative path');
  const parts = p.split('/');
  if (parts.includes('..')) throw new Error("invalid path: must not contain '..'");
  if (parts[0].startsWith('..')) throw new Error("invalid path: must not start with '..'");
}

function timestampName(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.${randomBytes(5).toString('hex')}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Every regular file under dir, as relative path → projection. */
async function readTree(dir: string, prefix = ''): Promise<Payload> {
  const out: Payload = new Map();
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await readTree(dir, rel)) out.set(k, v);
    else if (e.isFile()) out.set(rel, { data: await readFile(join(dir, rel)), mode: 0 });
  }
  return out;
}

/** Same paths and contents (modes are not compared, as Kubernetes' shouldWriteFile does not: fsGroup changes them after writing). */
function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (!o || !o.data.equals(v.data)) return false;
  }
  return true;
}

function topLevel(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((p) => p.split('/')[0]));
}

/** Writes payload into targetDir atomically; resolves true when anything changed. */
export async function writeAtomically(targetDir: string, payload: Payload, clock: Clock): Promise<boolean> {
  for (const p of payload.keys()) validatePayloadPath(p);
  await mkdir(targetDir, { recursive: true });
  const dataLink = join(targetDir, DATA_DIR);
  let oldTsName: string | undefined;
  try {
    oldTsName = await readlink(dataLink);
  } catch {
    oldTsName = undefined;
  }
  const oldPayload = oldTsName && (await exists(join(targetDir, oldTsName))) ? await readTree(join(targetDir, oldTsName)) : undefined;
  const wanted = topLevel(payload.keys());
  if (oldPayload && samePayload(oldPayload, payload)) {
    let complete = true;
    for (const name of wanted) if (!(await exists(join(targetDir, name)))) complete = false;
    if (complete) return false;
  }

  // Write the new generation beside the old one.
  const tsName = timestampName(clock.now());
  const tsDir = join(targetDir, tsName);
  await mkdir(tsDir, { mode: 0o755 });
  await chmod(tsDir, 0o755);
  for (const [rel, file] of payload) {
    const full = join(tsDir, rel);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data);
    await chmod(full, file.mode);
  }

  // Swap ..data to it in one rename.
  const tmpLink = join(targetDir, NEW_DATA_DIR);
  await rm(tmpLink, { force: true });
  await symlink(tsName, tmpLink);
  await rename(tmpLink, dataLink);

  // User-visible names point through ..data; names gone from the payload are removed.
  for (const name of wanted) {
    const link = join(targetDir, name);
    if (!(await exists(link))) await symlink(join(DATA_DIR, name), link);
  }
  if (oldPayload) {
    for (const name of topLevel(oldPayload.keys())) if (!wanted.has(name)) await unlink(join(targetDir, name)).catch(() => undefined);
  }
  if (oldTsName && oldTsName !== tsName) await rm(join(targetDir, oldTsName), { recursive: true, force: true });
  return true;
}
