// Test doubles for probe and hook tests: an execSync that runs the command on the host with
// node:child_process (until the process runtime lands), and a ProbeTarget builder.

import { execFile } from 'node:child_process';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ExecSyncResult, RuntimeService } from '../../runtime/runtime.js';
import type { ProbeTarget } from './types.js';

export class HostExecRuntime implements Pick<RuntimeService, 'execSync'> {
  readonly calls: Array<{ id: string; cmd: string[]; timeoutMs: number }> = [];

  execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    this.calls.push({ id, cmd, timeoutMs });
    return new Promise((resolve, reject) => {
      execFile(cmd[0], cmd.slice(1), { timeout: timeoutMs, encoding: 'buffer' }, (err, stdout, stderr) => {
        if (err && (err as { killed?: boolean }).killed) {
          const e = new Error(`command ${JSON.stringify(cmd.join(' '))} timed out`);
          e.name = 'TimeoutError';
          return reject(e);
        }
        if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
        resolve({ stdout, stderr, exitCode: err ? Number((err as { code?: number }).code) : 0 });
      });
    });
  }
}

export function target(container: Partial<Container> = {}, podIP = '127.0.0.1', runtime = new HostExecRuntime()): ProbeTarget {
  const c: Container = { name: 'app', ...container };
  const pod: Pod = { metadata: { name: 'web', namespace: 'ns', uid: 'uid-1' }, spec: { containers: [c] } };
  return { pod, container: c, containerId: 'cid-1', podIP, runtime };
}
