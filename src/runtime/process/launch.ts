// Starting a process the way a container's processes start: env from the container config only
// (PATH defaulted, KITE_ROOT and HOSTNAME added when absent), the container's working directory,
// the executable looked up on the container's PATH (a missing one is an error at start, as runc
// reports it), in its own session and process group, joined to the container's cgroups before it
// runs a single instruction of the command (kite-init, init.ts, does the joining and, for a main
// process, waits for the command and records its exit code). With tty, the command runs on a
// pseudo-terminal (pty.ts).

import { accessSync, constants, statSync } from 'node:fs';
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { KeyValue } from '../runtime.js';
import { INIT_SCRIPT } from './init.js';
import { onPseudoTerminal } from './pty.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The interpreter of kite-init: Debian's Essential perl-base. */
const PERL = '/usr/bin/perl';

export type StdioEntry = 'pipe' | 'ignore' | number;

export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** cgroup.procs files to join first. */
  cgroupProcs: string[];
  /** Run the command on a pseudo-terminal (stdout and stderr merged). */
  tty?: boolean;
  /** For a container's main process: where kite-init records the exit code. The command's pid is
   *  then reported on the child's stdio[3], a pipe launch adds. */
  exitCodeFile?: string;
  /** stdin, stdout, stderr: a pipe, nothing, or an fd to hand over. */
  stdio: [StdioEntry, StdioEntry, StdioEntry];
}

/** The environment a container's processes get: exactly its envs, plus defaults when absent. */
export function containerEnv(envs: KeyValue[], defaults: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { key, value } of envs) env[key] = value;
  if (env.PATH === undefined) env.PATH = DEFAULT_PATH;
  for (const [key, value] of Object.entries(defaults)) if (env[key] === undefined) env[key] = value;
  return env;
}

/** Finds argv[0] as execve with a PATH search would; throws when there is no such executable. */
export function resolveExecutable(name: string, path: string, cwd: string): string {
  const candidates = name.includes('/') ? [isAbsolute(name) ? name : resolve(cwd, name)] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // try the next one
    }
  }
  throw new Error(name.includes('/') ? `exec: "${name}": no such executable file` : `exec: "${name}": executable file not found in $PATH`);
}

/** Spawns the process through kite-init, detached (own session and process group). */
export function launch(spec: LaunchSpec): ChildProcess {
  const [name, ...args] = spec.argv;
  if (!name) throw new Error('no command');
  const file = resolveExecutable(name, spec.env.PATH ?? DEFAULT_PATH, spec.cwd);
  const argv = spec.tty ? onPseudoTerminal(resolveExecutable('script', DEFAULT_PATH, '/'), [file, ...args]) : [file, ...args];
  const stdio: StdioOptions = spec.exitCodeFile ? [...spec.stdio, 'pipe'] : spec.stdio;
  return spawn(PERL, ['-e', INIT_SCRIPT, spec.exitCodeFile ?? '-', ...spec.cgroupProcs, '--', ...argv], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio,
    argv0: 'kite-init',
  });
}

/** The exit code a wait status gives in the CRI (128 + signal number for a signal). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? osConstants.signals[signal] : 0);
}
