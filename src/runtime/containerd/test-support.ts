// A tiny WebSocket server for the streaming unit tests: accepts the upgrade on loopback, lets the
// test write raw (unmasked) server frames — also in the same packet as the 101 response — and
// decodes the client's masked frames.

import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseFrame } from './websocket.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server frame. */
export function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

export const binary = (channel: number, text: string | Buffer): Buffer =>
  serverFrame(0x2, Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));

export interface Upgrade {
  url: string;
  protocol: string;
  socket: Duplex;
  /** Complete messages the client sent (unmasked), and close frames as opcode 8. */
  received: { opcode: number; payload: Buffer }[];
}

export interface FakeWebSocketServer {
  url: string;
  close(): Promise<void>;
}

/** Serves upgrades; onUpgrade gets the socket after `firstBytes` (frames sent with the 101) were written. */
export async function fakeWebSocketServer(
  firstBytes: (url: string) => Buffer,
  onUpgrade: (upgrade: Upgrade) => void,
): Promise<FakeWebSocketServer> {
  const server: Server = createServer((_req, res) => res.writeHead(400).end('not a websocket'));
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req, socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    const protocol = String(req.headers['sec-websocket-protocol'] ?? '').split(',')[0]!.trim();
    const response = Buffer.from(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
    );
    socket.write(Buffer.concat([response, firstBytes(req.url ?? '')]));
    const upgrade: Upgrade = { url: req.url ?? '', protocol, socket, received: [] };
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let f = parseFrame(buffer); f; f = parseFrame(buffer)) {
        buffer = buffer.subarray(f.consumed);
        upgrade.received.push({ opcode: f.opcode, payload: Buffer.from(f.payload) });
        if (f.opcode === 0x8) socket.end(serverFrame(0x8, f.payload));
      }
    });
    socket.on('error', () => undefined);
    onUpgrade(upgrade);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // upgraded sockets are no longer the server's connections: end them here
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls a synchronous condition (the unit tests' bounded wait). */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
