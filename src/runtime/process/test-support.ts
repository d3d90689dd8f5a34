// Helpers for the process runtime's tests: a runtime over a fresh temporary root, sandbox and
// container configs with defaults, reading a container's CRI log, waiting on a container state,
// collecting a stream.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { waitUntil } from '../../../test/support/wait-until.js';
import { systemClock } from '../../util/clock.js';
import type { ContainerConfig, ContainerState, PodSandboxConfig } from '../runtime.js';
import { createProcessRuntime, type ProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';

export interface TestRuntime {
  runtime: ProcessRuntime;
  dir: string;
  options: ProcessRuntimeOptions;
  /** A second runtime object over the same root (a restarted kubelet). */
  reopen(): Promise<ProcessRuntime>;
  cleanup(): Promise<void>;
}

export async function testRuntime(extra: Partial<ProcessRuntimeOptions> = {}): Promise<TestRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-process-runtime-'));
  const options: ProcessRuntimeOptions = {
    rootDir: join(dir, 'root'),
    nodeIp: '127.0.0.1',
    clock: systemClock(),
    cgroupParent: `kite-test-${process.pid}`,
    outputDrainMs: 1000,
    ...extra,
  };
  const runtimes = [await createProcessRuntime(options)];
  return {
    runtime: runtimes[0]!,
    dir,
    options,
    async reopen() {
      const r = await createProcessRuntime(options);
      runtimes.push(r);
      return r;
    },
    async cleanup() {
      const last = runtimes[runtimes.length - 1]!;
      for (const s of await last.listPodSandbox()) await last.removePodSandbox(s.id);
      for (const r of runtimes) await r.close();
      rmSync(dir, { recursive: true, force: true });
      removeTestCgroupParent(options.cgroupParent!);
    },
  };
}

export function sandboxConfig(dir: string, name = 'pod'): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
    hostname: name,
    logDirectory: join(dir, 'logs', `default_${name}`),
    portMappings: [],
    labels: { app: name },
    annotations: {},
    hostNetwork: false,
  };
}

export function containerConfig(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: 'busybox',
    command,
    args: [],
    envs: [],
    mounts: [],
    labels: { container: name },
    annotations: {},
    logPath: `${name}/0.log`,
    stdin: false,
    stdinOnce: false,
    tty: false,
    ...extra,
  };
}

/** Creates and starts a container in the sandbox; returns its id. */
export async function run(runtime: ProcessRuntime, sandboxId: string, sandbox: PodSandboxConfig, config: ContainerConfig): Promise<string> {
  const id = await runtime.createContainer(sandboxId, config, sandbox);
  await runtime.startContainer(id);
  return id;
}

export async function waitForState(runtime: ProcessRuntime, id: string, state: ContainerState, timeoutMs = 10_000): Promise<void> {
  await waitUntil(`container ${id.slice(0, 8)} ${state}`, async () => (await runtime.containerStatus(id)).state === state, { timeoutMs });
}

/** The log's records as [stream, tag, text]; checks every timestamp is RFC 3339 with nanoseconds. */
export function readLog(path: string): Array<[string, string, string]> {
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
      if (!m) throw new Error(`not a CRI log line: ${JSON.stringify(line.slice(0, 200))}`);
      return [m[2]!, m[3]!, m[4]!];
    });
}

/** Removes the test's own parent cgroups (each sandbox's were removed with it). */
function removeTestCgroupParent(parent: string): void {
  const base = '/sys/fs/cgroup';
  const candidates = [join(base, parent), ...(existsSync(base) ? readdirSync(base).map((h) => join(base, h, parent)) : [])];
  for (const dir of candidates) {
    try {
      if (existsSync(dir)) rmdirSync(dir);
    } catch {
      // not empty (a failed test left a sandbox) or not a cgroup: leave it
    }
  }
}

/** Collects a stream's bytes; the returned function reads what has arrived so far as text. */
export function collect(stream: Readable | undefined): () => string {
  const chunks: Buffer[] = [];
  stream?.on('data', (b: Buffer) => chunks.push(b));
  return () => Buffer.concat(chunks).toString();
}
