// Helpers for this folder's tests: a fresh temporary directory per test (the rest is shared with
// every backend's tests in ../test-support.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { bytes, text, waitFor, RecordingHandler } from '../test-support.js';

export const tempDir = (): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
