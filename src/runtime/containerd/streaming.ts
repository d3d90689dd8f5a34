// The client side of the CRI streaming server (the URL that Exec, Attach and PortForward return),
// over WebSocket with Kubernetes' channel protocol: every message starts with a channel byte.
// exec/attach (v4.channel.k8s.io): 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status JSON
// when the process ends), 4 resize ({"Width","Height"}). Port forward: per port a data channel
// (0) and an error channel (1), each opening with the port as 2 little-endian bytes.
// v4 has no half-close: ending stdin or a forwarded stream's writable side closes the session.

import { connect } from 'node:net';
import { Duplex, PassThrough, Writable } from 'node:stream';
import type { StreamOptions, StreamSession } from '../runtime.js';
import { connectWebSocket, type WebSocketConnection } from './websocket.js';

/** Opens a byte stream to the streaming server's host and port (default: a TCP connection). */
export type StreamDialer = (url: URL) => Promise<Duplex>;

export const tcpDialer: StreamDialer = (url) =>
  new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 80), url.hostname);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;

export const EXEC_PROTOCOLS = ['v4.channel.k8s.io'];

interface StatusCause {
  reason?: string;
  message?: string;
}
interface Status {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: StatusCause[] };
}

/** The exit code a v4 error-channel Status carries: 0 for Success, the ExitCode cause for NonZeroExitCode. */
export function exitCodeFromStatus(text: string): number {
  if (text.trim() === '') return 0;
  let status: Status;
  try {
    status = JSON.parse(text) as Status;
  } catch {
    throw new Error(`exec stream error: ${text}`);
  }
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return code;
  }
  throw new Error(`exec stream error: ${status.message ?? text}`);
}

const withChannel = (channel: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([channel]), data]);

/** Connects to an exec or attach URL and wraps the WebSocket as a StreamSession. */
export async function openStreamSession(url: string, options: StreamOptions, dial: StreamDialer): Promise<StreamSession> {
  const target = new URL(url);
  const stdout = options.stdout ? new PassThrough() : undefined;
  const stderr = options.stderr && !options.tty ? new PassThrough() : undefined;
  let errorText = '';
  let settle: { resolve: (code: number) => void; reject: (err: Error) => void } | undefined;
  const exit = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  // A caller may never await exit (a killed session); keep an unobserved rejection quiet.
  exit.catch(() => undefined);
  let stdin: Writable | undefined;
  const ws = await connectWebSocket(await dial(target), target, EXEC_PROTOCOLS, {
    message(message) {
      if (message.length === 0) return;
      const payload = message.subarray(1);
      switch (message[0]) {
        case STDOUT:
          if (payload.length) stdout?.write(payload);
          break;
        case STDERR:
          if (payload.length) (stderr ?? stdout)?.write(payload);
          break;
        case ERROR:
          errorText += payload.toString('utf8');
          break;
      }
    },
    close(code) {
      stdout?.end();
      stderr?.end();
      stdin?.destroy();
      // The server ends every finished exec/attach with a Status; a connection that broke without
      // one says nothing about how the process ended.
      if (errorText === '' && code === 1006) {
        settle?.reject(new Error(`the ${target.pathname.split('/')[1] ?? 'exec'} stream to ${target.host} broke before the process ended`));
        return;
      }
      try {
        settle?.resolve(exitCodeFromStatus(errorText));
      } catch (err) {
        settle?.reject(err as Error);
      }
    },
  });
  if (options.stdin) {
    stdin = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        try {
          ws.send(withChannel(STDIN, chunk));
          callback();
        } catch (err) {
          callback(err as Error);
        }
      },
      final(callback) {
        // v4 cannot half-close stdin; the session ends with it.
        ws.close();
        callback();
      },
    });
  }
  return {
    ...(stdin ? { stdin } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    resize(width: number, height: number) {
      if (!options.tty) return;
      try {
        ws.send(withChannel(RESIZE, Buffer.from(JSON.stringify({ Width: width, Height: height }))));
      } catch {
        // closed
      }
    },
    exit,
    close: () => ws.close(),
  };
}

/** Connects to a port-forward URL for one port; the Duplex carries that port's bytes. */
export async function openPortForward(url: string, port: number, dial: StreamDialer): Promise<Duplex> {
  const target = new URL(url);
  target.searchParams.append('port', String(port));
  // Each channel opens with the port number (2 bytes) before any data.
  const prefixPending = new Map<number, number>([
    [0, 2],
    [1, 2],
  ]);
  let errorText = '';
  let ws: WebSocketConnection | undefined;
  // An error before the stream is handed out rejects the open instead (no one could hear it yet).
  let handedOut = false;
  let earlyError: Error | undefined;
  const stream = new Duplex({
    read() {
      // data is pushed as it arrives
    },
    write(chunk: Buffer, _encoding, callback) {
      try {
        ws!.send(withChannel(0, chunk));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    final(callback) {
      ws?.close();
      callback();
    },
    destroy(err, callback) {
      ws?.close();
      callback(err);
    },
  });
  ws = await connectWebSocket(await dial(target), target, EXEC_PROTOCOLS, {
    message(message) {
      if (message.length === 0) return;
      const channel = message[0]!;
      let payload = message.subarray(1);
      const skip = prefixPending.get(channel) ?? 0;
      if (skip > 0) {
        const n = Math.min(skip, payload.length);
        prefixPending.set(channel, skip - n);
        payload = payload.subarray(n);
      }
      if (payload.length === 0) return;
      if (channel === 0) stream.push(payload);
      else if (channel === 1) errorText += payload.toString('utf8');
    },
    close() {
      if (!errorText) return void stream.push(null);
      const err = new Error(`port-forward to port ${port}: ${errorText}`);
      if (handedOut) stream.destroy(err);
      else earlyError = err;
    },
  });
  if (earlyError) {
    stream.destroy();
    throw earlyError;
  }
  handedOut = true;
  return stream;
}
