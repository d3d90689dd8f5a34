// A container's main process: the command (its pid is the container's process group id) and the
// kite-init that started it and waits for it (init.ts). Started by this runtime — the exit comes
// with kite-init's exit event — or adopted from a previous run of the runtime, found alive by pid
// and start time — then kite-init's end is noticed by polling /proc and the exit code read from the
// file it writes (unknown if kite-init itself was killed).

import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Clock, Timer } from '../../util/clock.js';
import { exitCodeOf } from './launch.js';
import { isProcessAlive, readProcStat } from './proc.js';

/** How often an adopted process is checked for having exited. */
export const ADOPTED_POLL_MS = 500;

/** Pid and start time: one process over time (a later process may get the same pid). */
export interface ProcessIdentity {
  pid: number;
  startTime: number;
}

export function identify(pid: number): ProcessIdentity {
  return { pid, startTime: readProcStat(pid)?.startTime ?? 0 };
}

export class MainProcess {
  /** Resolves with the exit code, or undefined when it cannot be known. */
  readonly exited: Promise<number | undefined>;
  private settle!: (code: number | undefined) => void;
  private done = false;
  private timer: Timer | undefined;
  private child: ChildProcess | undefined;

  private constructor(
    /** The command: pid = process group id. */
    readonly command: ProcessIdentity,
    /** kite-init, which outlives the command by the time it takes to record the exit code. */
    readonly init: ProcessIdentity,
    private readonly exitCodeFile: string,
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  get pid(): number {
    return this.command.pid;
  }

  /** Tracks a just-spawned kite-init: waits for it to report the command's pid on fd 3. */
  static async started(child: ChildProcess, exitCodeFile: string): Promise<MainProcess> {
    const exit = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(exitCodeOf(code, signal))));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const report = await readLine(child.stdio[3] as Readable);
    const pid = Number(report.trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`kite-init did not start the command (exit code ${await exit})`);
    const main = new MainProcess(identify(pid), identify(child.pid!), exitCodeFile);
    main.child = child;
    void exit.then((code) => main.finish(code));
    return main;
  }

  /** Tracks the kite-init of an earlier run; undefined when it is no longer alive. */
  static adopt(command: ProcessIdentity, init: ProcessIdentity, exitCodeFile: string, clock: Clock): MainProcess | undefined {
    if (!isProcessAlive(init.pid, init.startTime)) return undefined;
    const main = new MainProcess(command, init, exitCodeFile);
    main.timer = clock.setInterval(() => main.check(), ADOPTED_POLL_MS);
    return main;
  }

  get running(): boolean {
    return !this.done;
  }

  /** For an adopted process: notices now if it has gone. (A child's exit comes with its exit event.) */
  check(): void {
    if (!this.child && !this.done && !isProcessAlive(this.init.pid, this.init.startTime)) this.finish(readExitCodeFile(this.exitCodeFile));
  }

  /** Stops watching (the runtime is closing); the processes themselves are left alone. */
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

/** The exit code kite-init recorded, if it got to record one. */
export function readExitCodeFile(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  } catch {
    return undefined;
  }
}

/** The first line of the stream (or all of it, if it ends first); then stops reading. */
function readLine(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      stream.destroy();
      resolve(text);
    };
    stream.on('data', (b: Buffer) => {
      text += b.toString();
      if (text.includes('\n')) done();
    });
    stream.once('end', done);
    stream.once('error', done);
  });
}
