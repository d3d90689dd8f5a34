// A private image registry for pull tests: Debian's docker-registry (distribution 2.8) started
// inside a test containerd's network namespace on 127.0.0.1:5000 (only that containerd can reach
// it), with htpasswd basic auth and storage in a temp dir; images are pushed into it from the
// containerd's store with `ctr images push` run in the same namespace. Stopped by pid.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerdProcess } from './containerd-process.js';
import { waitUntil } from './wait-until.js';

export const REGISTRY_HOST = '127.0.0.1:5000';
export const REGISTRY_USER = 'kite';
export const REGISTRY_PASSWORD = 'kite-secret';
/** bcrypt of REGISTRY_PASSWORD (cost 5), for the htpasswd file. */
const PASSWORD_HASH = '$2b$05$Tx7n3yqPRkXq31p/vkDcEuFLmm.Hy/vgx7XBzoCpg5Z8fLUbqGza.';

export interface RegistryProcess {
  readonly host: string;
  /** Tags a local image as host/repository and pushes it (with the registry's credentials). */
  push(localImage: string, repository: string): string;
  stop(): Promise<void>;
}

/** Runs a command in the containerd's network namespace. */
function inNetns(containerd: ContainerdProcess, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('nsenter', [`--net=/run/netns/${containerd.netns}`, ...args], { encoding: 'utf8', timeout: 60_000, input });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr || (r.error?.message ?? '') };
}

export async function startRegistry(containerd: ContainerdProcess): Promise<RegistryProcess> {
  if (!existsSync('/usr/bin/docker-registry')) {
    throw new Error('docker-registry is missing (Debian package docker-registry); run scripts/setup-system.sh as root');
  }
  const dir = mkdtempSync(join(tmpdir(), 'kite-registry-'));
  writeFileSync(join(dir, 'htpasswd'), `${REGISTRY_USER}:${PASSWORD_HASH}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${dir}/data`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${REGISTRY_HOST}`,
      'auth:',
      '  htpasswd:',
      '    realm: kite',
      `    path: ${dir}/htpasswd`,
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'registry.log');
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('nsenter', [`--net=/run/netns/${containerd.netns}`, '/usr/bin/docker-registry', 'serve', join(dir, 'config.yml')], {
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const proc = child;
  const exited = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  const killAtExit = (): void => void (exited() || proc.kill('SIGKILL'));
  process.on('exit', killAtExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killAtExit);
    if (!exited()) {
      proc.kill('SIGTERM');
      await waitUntil('the registry to exit', exited, { timeoutMs: 10_000 }).catch(() => proc.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'the registry to answer /v2/ (401 without credentials)',
      () => {
        if (exited()) throw new Error(`docker-registry exited (${proc.exitCode})`);
        const r = inNetns(containerd, ['/bin/busybox', 'nc', '-w', '2', '127.0.0.1', '5000'], 'GET /v2/ HTTP/1.0\r\n\r\n');
        return /^HTTP\/1\.[01] 401/.test(r.stdout);
      },
      { timeoutMs: 15_000, intervalMs: 100, describe: () => readFileSync(logFile, 'utf8').slice(-2000) },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: REGISTRY_HOST,
    push(localImage, repository) {
      const target = `${REGISTRY_HOST}/${repository}`;
      const ctr = ['ctr', '-a', containerd.address, '-n', 'k8s.io', 'images'];
      const steps = [
        [...ctr, 'tag', '--force', localImage, target],
        [...ctr, 'push', '--plain-http', '--user', `${REGISTRY_USER}:${REGISTRY_PASSWORD}`, target],
        [...ctr, 'rm', target],
      ];
      for (const step of steps) {
        const r = inNetns(containerd, step);
        if (r.status !== 0) throw new Error(`${step.slice(5).join(' ')} failed: ${r.stderr}`);
      }
      return target;
    },
    stop,
  };
}
