// Port-forward over SPDY (the portforward.k8s.io protocol kubectl speaks, directly or tunneled in
// a WebSocket): for each forwarded connection the client opens an error stream and a data stream
// with headers streamtype, port and requestid. Once both of a request are there, the kubelet
// dials the port in the pod and copies bytes both ways; a failure is written on the error stream.

import type { Duplex } from 'node:stream';
import { SpdySession, type SpdyStream } from './session.js';

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
}

export function serveSpdyPortForward(transport: Duplex, dial: (port: number) => Promise<Duplex>): SpdySession {
  const pairs = new Map<string, Pair>();
  const forward = async (port: number, data: SpdyStream, error: SpdyStream) => {
    error.resume(); // the client sends nothing on it; let its end arrive
    let socket: Duplex;
    try {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
      socket = await dial(port);
    } catch (err) {
      error.end(`error forwarding port ${port}: ${(err as Error).message}`);
      data.end();
      return;
    }
    const finish = () => {
      if (!error.writableEnded) error.end();
      if (!data.writableEnded) data.end();
    };
    socket.on('error', (err) => {
      if (!error.writableEnded) error.end(`error forwarding port ${port}: ${err.message}`);
      if (!data.writableEnded) data.end();
    });
    socket.once('close', finish);
    data.once('close', () => socket.destroy());
    socket.pipe(data);
    data.pipe(socket);
  };
  return new SpdySession(transport, (stream) => {
    const type = stream.headers['streamtype'];
    const key = `${stream.headers['requestid'] ?? ''}/${stream.headers['port'] ?? ''}`;
    const pair = pairs.get(key) ?? {};
    if (type === 'data') pair.data = stream;
    else if (type === 'error') pair.error = stream;
    else return void stream.destroy();
    pairs.set(key, pair);
    if (pair.data && pair.error) {
      pairs.delete(key);
      void forward(Number(stream.headers['port']), pair.data, pair.error);
    }
  });
}
