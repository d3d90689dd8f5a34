// Runs the real `kite` command (bin/kite.js over the compiled dist/) as a child process, for
// tests that exercise the CLI end to end: wait for a line on stderr, signal it, collect its exit.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// This module runs compiled (dist/test/support) or from source under tsx (test/support).
const repoRoot = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);
export const kiteBin = fileURLToPath(new URL('bin/kite.js', repoRoot));

export interface KiteProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when stderr has a line matching `pattern` (rejects on exit or timeout). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `kite ARGS`; nodeArgs go to node itself (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
export function startKite(args: string[], env: NodeJS.ProcessEnv = process.env, nodeArgs: string[] = []): KiteProcess {
  return startProcess(process.execPath, [...nodeArgs, kiteBin, ...args], env);
}

/** Starts FILE ARGV (e.g. `ip netns exec NS node kite.js …`, which execs kite in place) as a KiteProcess. */
export function startProcess(file: string, argv: string[], env: NodeJS.ProcessEnv = process.env): KiteProcess {
  const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const listeners = new Set<() => void>();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const l of listeners) l();
  });
  child.stdout?.resume();
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const l of listeners) l();
    }),
  );
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    child,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = err.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) return done(() => resolve(line));
          if (child.exitCode !== null || child.signalCode !== null) {
            return done(() => reject(new Error(`kite exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${err}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${err}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}
