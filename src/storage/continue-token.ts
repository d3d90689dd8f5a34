// List continue tokens, in Kubernetes' format: base64 of {"v":"meta.k8s.io/v1","rv":R,"start":S}
// where R is the revision every page is read at and S the next key, relative to the list prefix.

import { StorageError } from './errors.js';

const VERSION = 'meta.k8s.io/v1';

export interface ContinuePosition {
  revision: number;
  /** The key to resume at (inclusive), absolute. */
  startKey: string;
}

export function encodeContinue(prefix: string, position: ContinuePosition): string {
  const start = position.startKey.slice(prefix.length);
  return Buffer.from(JSON.stringify({ v: VERSION, rv: position.revision, start })).toString('base64url');
}

export function decodeContinue(prefix: string, token: string): ContinuePosition {
  const invalid = (why: string) => new StorageError('InvalidArgument', `invalid continue token: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not base64-encoded JSON');
  }
  if (parsed === null || typeof parsed !== 'object') throw invalid('not a JSON object');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== VERSION) throw invalid(`unknown version ${JSON.stringify(v)}`);
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid('bad resource version');
  if (typeof start !== 'string' || start.length === 0) throw invalid('no start key');
  // The start key must stay under the prefix: "../" or a leading "/" would escape it.
  if (start.startsWith('/') || start.split('/').some((part) => part === '..' || part === '.')) {
    throw invalid('start key escapes the listed prefix');
  }
  return { revision: rv, startKey: prefix + start };
}

/** The smallest key after `key`: resuming there skips `key` itself. */
export const keyAfter = (key: string): string => key + '\u0000';
