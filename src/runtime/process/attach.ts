// Attaching to a container's main process (kubectl attach): the caller gets its own copies of the
// output as it comes (stdout only on a tty), writes to the container's stdin when it has one (the
// container's stdin ends with the session when stdinOnce), and learns the main exit code.

import { PassThrough, type Writable } from 'node:stream';
import type { Clock } from '../../util/clock.js';
import type { StreamOptions, StreamSession } from '../runtime.js';
import type { ContainerOutput } from './container-output.js';
import type { MainProcess } from './main-process.js';
import { resizeTerminal } from './pty.js';

export interface AttachTarget {
  main: MainProcess;
  output: ContainerOutput;
  /** The main process's stdin, when the container was created with stdin. */
  stdin: Writable | undefined;
  tty: boolean;
  stdinOnce: boolean;
  clock: Clock;
}

export function attachSession(target: AttachTarget, options: StreamOptions): StreamSession {
  const { main, tty } = target;
  const stdout = options.stdout ? new PassThrough() : undefined;
  const stderr = options.stderr && !tty ? new PassThrough() : undefined;
  const detach = target.output.attach({ stdout, stderr });
  let stdin: PassThrough | undefined;
  if (options.stdin && target.stdin) {
    stdin = new PassThrough();
    stdin.pipe(target.stdin, { end: target.stdinOnce });
  }
  return {
    stdin,
    stdout,
    stderr,
    resize: (width, height) => {
      if (tty) resizeTerminal(main.pid, width, height, target.clock);
    },
    exit: main.exited.then((code) => code ?? 255),
    close: () => {
      detach();
      stdin?.unpipe();
      stdout?.end();
      stderr?.end();
    },
  };
}
