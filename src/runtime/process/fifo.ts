// Container output pipes that outlive the runtime: each of a container's stdout and stderr is a
// named pipe (FIFO) in its state directory that the container holds open read-write. Because the
// container itself counts as a reader, its writes never fail with EPIPE when the runtime (inside
// the kubelet) exits; they wait in the pipe until a restarted runtime opens the FIFO again and
// carries on writing the log. The runtime reads through a non-blocking fd wrapped in a net.Socket
// (epoll, no thread-pool thread per stream).

import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** Creates the FIFO at path unless it exists. */
export function ensureFifo(path: string): void {
  if (!existsSync(path)) execFileSync('mkfifo', ['-m', '600', path]);
}

/** Opens the FIFO read-write: the fd handed to the container as its stdout or stderr. */
export function openFifoForContainer(path: string): number {
  return openSync(path, constants.O_RDWR);
}

/** Opens the FIFO for reading as a stream; it ends once no writer holds the FIFO. */
export function openFifoReader(path: string): Readable {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

export function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
