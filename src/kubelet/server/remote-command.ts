// exec and attach over a WebSocket (channel.k8s.io v5/v4): the runtime's stream session's stdout
// and stderr go out on their channels, stdin and resize messages come in, v5's close signal ends
// stdin, and when the process ends its exit status goes out on the error channel — after all of
// its output — and the connection is closed.

import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { StreamOptions, StreamSession } from '../../runtime/runtime.js';
import {
  ERROR,
  RESIZE,
  STDERR,
  STDIN,
  STDOUT,
  decodeFrame,
  decodeResize,
  encodeFrame,
  exitStatus,
  failureStatus,
} from './channels.js';

/** Past this many bytes queued on the socket, the process's output is paused. */
const HIGH_WATER = 1024 * 1024;

export interface RemoteCommandRequest {
  options: StreamOptions;
  /** The command (exec) for the Status message; empty for attach. */
  command: string[];
  start(): Promise<StreamSession>;
}

export function parseStreamOptions(query: URLSearchParams): StreamOptions {
  const on = (name: string) => {
    const v = query.get(name);
    return v === '' || v === 'true' || v === '1';
  };
  const tty = on('tty');
  return { stdin: on('stdin'), stdout: on('stdout'), stderr: on('stderr') && !tty, tty };
}

function send(ws: WebSocket, frame: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) return resolve();
    ws.send(frame, { binary: true }, () => resolve());
  });
}

/** Copies a stream to a channel with back-pressure; resolves when it ends. */
function pump(ws: WebSocket, channel: number, stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(encodeFrame(channel, chunk), { binary: true });
      if (ws.bufferedAmount > HIGH_WATER) {
        stream.pause();
        const resume = () => (ws.bufferedAmount > HIGH_WATER && ws.readyState === ws.OPEN ? setImmediate(resume) : stream.resume());
        setImmediate(resume);
      }
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

export async function serveRemoteCommand(ws: WebSocket, protocol: string, request: RemoteCommandRequest): Promise<void> {
  let session: StreamSession;
  try {
    session = await request.start();
  } catch (err) {
    await send(ws, encodeFrame(ERROR, JSON.stringify(failureStatus((err as Error).message))));
    ws.close(1000);
    return;
  }
  ws.on('close', () => session.close());
  ws.on('message', (message: Buffer, isBinary: boolean) => {
    const frame = decodeFrame(isBinary ? message : Buffer.from(message), protocol);
    if (!frame) return;
    if (frame.kind === 'close') {
      if (frame.channel === STDIN) session.stdin?.end();
      return;
    }
    if (frame.channel === STDIN) session.stdin?.write(frame.data);
    else if (frame.channel === RESIZE) {
      const size = decodeResize(frame.data);
      if (size) session.resize(size.width, size.height);
    }
  });
  session.stdin?.on('error', () => {}); // the process may exit before reading all of stdin

  // An empty message on the lowest channel we write tells the client the streams are ready.
  const first = request.options.stdout ? STDOUT : request.options.stderr ? STDERR : ERROR;
  await send(ws, encodeFrame(first));

  const outputs: Promise<void>[] = [];
  if (session.stdout) outputs.push(pump(ws, STDOUT, session.stdout));
  if (session.stderr) outputs.push(pump(ws, STDERR, session.stderr));
  let status: object;
  try {
    const code = await session.exit;
    await Promise.all(outputs);
    status = exitStatus(code, request.command);
  } catch (err) {
    status = failureStatus((err as Error).message);
  }
  await send(ws, encodeFrame(ERROR, JSON.stringify(status)));
  ws.close(1000);
}
