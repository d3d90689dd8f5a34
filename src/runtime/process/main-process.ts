// A container's main process (the init wrapper, whose pid is also the process group id): started
// by this runtime — its exit comes from the child's exit event — or adopted from a previous run of
// the runtime, found alive by pid and start time — its exit is noticed by polling /proc and its exit
// code read from the file the wrapper writes (unknown if the wrapper itself was killed).

import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Clock, Timer } from '../../util/clock.js';
import { exitCodeOf } from './launch.js';
import { isProcessAlive, readProcStat } from './proc.js';

/** How often an adopted process is checked for having exited. */
export const ADOPTED_POLL_MS = 500;

export class MainProcess {
  /** Resolves with the exit code, or undefined when it cannot be known. */
  readonly exited: Promise<number | undefined>;
  private settle!: (code: number | undefined) => void;
  private done = false;
  private timer: Timer | undefined;
  private child: ChildProcess | undefined;

  private constructor(
    readonly pid: number,
    readonly startTime: number,
    private readonly exitCodeFile: string,
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  /** Waits until the child has been spawned (or failed to) and tracks it. */
  static async started(child: ChildProcess, exitCodeFile: string): Promise<MainProcess> {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const pid = child.pid!;
    const main = new MainProcess(pid, readProcStat(pid)?.startTime ?? 0, exitCodeFile);
    main.child = child;
    child.once('exit', (code, signal) => main.finish(exitCodeOf(code, signal)));
    return main;
  }

  /** Tracks a process of an earlier run; undefined when it is no longer alive. */
  static adopt(pid: number, startTime: number, exitCodeFile: string, clock: Clock): MainProcess | undefined {
    if (!isProcessAlive(pid, startTime)) return undefined;
    const main = new MainProcess(pid, startTime, exitCodeFile);
    main.timer = clock.setInterval(() => main.check(), ADOPTED_POLL_MS);
    return main;
  }

  get running(): boolean {
    return !this.done;
  }

  /** For an adopted process: notices now if it has gone. (A child's exit comes with its exit event.) */
  check(): void {
    if (!this.child && !this.done && !isProcessAlive(this.pid, this.startTime)) this.finish(readExitCodeFile(this.exitCodeFile));
  }

  /** Stops watching (the runtime is closing); the process itself is left alone. */
  release(): void {
    this.timer?.cancel();
    this.child?.removeAllListeners('exit');
    this.child?.unref();
  }

  private finish(code: number | undefined): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    this.settle(code);
  }
}

/** The exit code the wrapper recorded, if it got to record one. */
export function readExitCodeFile(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  } catch {
    return undefined;
  }
}
