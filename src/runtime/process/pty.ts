// Terminals without a native module: util-linux's `script` runs the command on a new pseudo-
// terminal and relays it over plain pipes (`script -qefc CMD /dev/null`: quiet, the command's exit
// code, flushed output, no typescript file). Stdout and stderr arrive merged, as on a real tty.
// Resizing finds the pty the command's processes have as stdin and sets its size with `stty`,
// which signals SIGWINCH to them as a terminal would.

import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import type { Clock } from '../../util/clock.js';
import { childrenOf } from './proc.js';

/** The arguments that make `script` (at scriptPath) run argv on a pseudo-terminal. */
export function onPseudoTerminal(scriptPath: string, argv: string[]): string[] {
  return [scriptPath, '-qefc', argv.map(shellQuote).join(' '), '/dev/null'];
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The pty a descendant of pid (within a few generations) has as its stdin. */
function findTerminal(pid: number, depth = 4): string | undefined {
  for (const child of childrenOf(pid)) {
    try {
      const target = readlinkSync(`/proc/${child}/fd/0`);
      if (target.startsWith('/dev/pts/')) return target;
    } catch {
      // gone, or not ours to read
    }
    if (depth > 1) {
      const deeper = findTerminal(child, depth - 1);
      if (deeper) return deeper;
    }
  }
  return undefined;
}

/** Sets the terminal size of the pty under pid, retrying briefly while it is being set up. */
export function resizeTerminal(pid: number, width: number, height: number, clock: Clock, attempts = 10): void {
  const tty = findTerminal(pid);
  if (tty) {
    execFile('stty', ['-F', tty, 'rows', String(height), 'cols', String(width)], () => {});
  } else if (attempts > 1) {
    clock.setTimeout(() => resizeTerminal(pid, width, height, clock, attempts - 1), 50);
  }
}
