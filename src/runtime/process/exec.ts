// Running another command in a container (probes, hooks, kubectl exec): the container's
// environment, working directory and cgroups, its own process group (killed whole on timeout or
// close). execSync collects the output; exec hands back streams, on a pseudo-terminal when asked
// for a tty (pty.ts).

import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../../util/clock.js';
import type { ExecSyncResult, StreamOptions, StreamSession } from '../runtime.js';
import { exitCodeOf, launch, type StdioEntry } from './launch.js';
import { signalGroup } from './proc.js';
import { resizeTerminal } from './pty.js';

export interface ExecContext {
  env: Record<string, string>;
  cwd: string;
  cgroupProcs: string[];
  clock: Clock;
  /** Told of each exec'd process group, so stopping the container can end it too. */
  track(pgid: number, ended: Promise<unknown>): void;
}

export class ExecTimeoutError extends Error {
  constructor(cmd: string[], timeoutMs: number) {
    super(`command ${JSON.stringify(cmd)} timed out after ${timeoutMs} ms`);
    this.name = 'ExecTimeoutError';
  }
}

function start(ctx: ExecContext, cmd: string[], stdio: [StdioEntry, StdioEntry, StdioEntry], tty = false): { child: ChildProcess; exit: Promise<number> } {
  const child = launch({ argv: cmd, env: ctx.env, cwd: ctx.cwd, cgroupProcs: ctx.cgroupProcs, stdio, tty });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
  // The group is killed whole when the exec ends, so no child of the command lingers.
  const ended = exit.finally(() => child.pid && signalGroup(child.pid, 'SIGKILL')).catch(() => {});
  if (child.pid) ctx.track(child.pid, ended);
  return { child, exit };
}

/** Runs cmd to completion; a timeout (0: none) kills it and rejects with ExecTimeoutError. */
export async function execSync(ctx: ExecContext, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
  const { child, exit } = start(ctx, cmd, ['ignore', 'pipe', 'pipe']);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => stdout.push(b));
  child.stderr!.on('data', (b: Buffer) => stderr.push(b));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? ctx.clock.setTimeout(() => {
          timedOut = true;
          if (child.pid) signalGroup(child.pid, 'SIGKILL');
        }, timeoutMs)
      : undefined;
  try {
    const exitCode = await exit;
    if (timedOut) throw new ExecTimeoutError(cmd, timeoutMs);
    await closed;
    return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode };
  } finally {
    timer?.cancel();
  }
}

/** Starts cmd with the requested streams. */
export async function execStream(ctx: ExecContext, cmd: string[], options: StreamOptions): Promise<StreamSession> {
  const pipe = (wanted: boolean) => (wanted ? 'pipe' : 'ignore') as 'pipe' | 'ignore';
  const { child, exit } = options.tty
    ? start(ctx, cmd, [pipe(options.stdin), 'pipe', 'ignore'], true)
    : start(ctx, cmd, [pipe(options.stdin), pipe(options.stdout), pipe(options.stderr)]);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.stdin?.on('error', () => {}); // writing after the command exited is not the caller's crash
  const pid = child.pid!;
  if (options.tty) resizeTerminal(pid, 80, 24, ctx.clock);
  return {
    stdin: child.stdin ?? undefined,
    stdout: child.stdout ?? undefined,
    stderr: child.stderr ?? undefined,
    resize: (width, height) => {
      if (options.tty) resizeTerminal(pid, width, height, ctx.clock);
    },
    exit,
    close: () => {
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
    },
  };
}
