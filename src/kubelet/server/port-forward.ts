// Port-forward over a WebSocket, the protocol Kubernetes' kubelet speaks (portforward.k8s.io /
// v4.channel.k8s.io framing): for the i-th requested port, channel 2i carries data both ways and
// channel 2i+1 errors from the kubelet; the first message on each channel is the port number
// (two bytes, little-endian). The connection ends when every port's stream has ended.

import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { decodeFrame, encodeFrame, portPrefix } from './channels.js';

export class PortsError extends Error {
  override readonly name = 'PortsError';
}

/** The `ports` query (comma-separated, possibly repeated) as port numbers. */
export function parsePorts(query: URLSearchParams): number[] {
  const ports = query
    .getAll('ports')
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (ports.length === 0) throw new PortsError('query parameter "ports" is required');
  return ports.map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) throw new PortsError(`invalid port: "${p}"`);
    return n;
  });
}

export async function servePortForward(ws: WebSocket, protocol: string, ports: number[], dial: (port: number) => Promise<Duplex>): Promise<void> {
  const sockets = new Map<number, Duplex>();
  ws.on('message', (message: Buffer) => {
    const frame = decodeFrame(message, protocol);
    if (frame?.kind !== 'data' || frame.channel % 2 !== 0) return;
    sockets.get(frame.channel / 2)?.write(frame.data);
  });
  ws.on('close', () => {
    for (const s of sockets.values()) s.destroy();
  });
  const streams = ports.map(async (port, i) => {
    ws.send(encodeFrame(2 * i, portPrefix(port)));
    ws.send(encodeFrame(2 * i + 1, portPrefix(port)));
    let socket: Duplex;
    try {
      socket = await dial(port);
    } catch (err) {
      ws.send(encodeFrame(2 * i + 1, `error forwarding port ${port}: ${(err as Error).message}`));
      return;
    }
    sockets.set(i, socket);
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(encodeFrame(2 * i, chunk)));
      socket.once('error', (err) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame(2 * i + 1, `error forwarding port ${port}: ${err.message}`));
        resolve();
      });
      socket.once('close', () => resolve());
      socket.once('end', () => resolve());
    });
  });
  await Promise.all(streams);
  if (ws.readyState === ws.OPEN) ws.close(1000);
}
