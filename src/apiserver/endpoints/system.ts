// The non-resource endpoints: health (/healthz, /livez, /readyz with ?verbose and per-check
// paths) and /version.

import { writeJson, writeRaw, type ApiResponse } from './http.js';
import { notFoundPath } from './not-found.js';

export interface HealthCheck {
  name: string;
  check: () => Promise<void> | void;
}

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kite.0.1.0',
  gitCommit: 'kite',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export function serveVersion(res: ApiResponse): void {
  writeJson(res, 200, VERSION_INFO);
}

/** /healthz, /livez, /readyz: "ok", or per-check lines with ?verbose; /readyz/<check> for one. */
export async function serveHealth(res: ApiResponse, path: string, query: URLSearchParams, checks: HealthCheck[]): Promise<boolean> {
  const [, endpoint, only] = path.split('/');
  if (endpoint !== 'healthz' && endpoint !== 'livez' && endpoint !== 'readyz') return false;
  const selected = only ? checks.filter((c) => c.name === only) : checks;
  if (only && selected.length === 0) throw notFoundPath();
  const lines: string[] = [];
  let failed = false;
  for (const c of [{ name: 'ping', check: () => {} }, ...selected]) {
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch (err) {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
      void err;
    }
  }
  const verbose = query.has('verbose');
  const body = verbose || failed ? `${lines.join('\n')}\n${endpoint} check ${failed ? 'failed' : 'passed'}\n` : 'ok';
  writeRaw(res, failed ? 500 : 200, body, 'text/plain; charset=utf-8', { 'x-content-type-options': 'nosniff' });
  return true;
}
