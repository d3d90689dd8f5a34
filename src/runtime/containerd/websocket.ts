// A small WebSocket client (RFC 6455) over any byte stream: the HTTP/1.1 upgrade handshake with a
// subprotocol, masked binary frames out, fragmented/unmasked frames in, ping → pong, and the close
// handshake. Enough for the CRI streaming server's channel protocols; no extensions, no TLS of
// its own (the caller's dialer may hand in a TLS socket).

import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** What the caller hears from a connection. Given up front, so no message that arrives together
 *  with the handshake response can be missed. */
export interface WebSocketHandlers {
  /** Each complete message. */
  message(data: Buffer): void;
  /** Once, when the connection is gone (after the close handshake, or with 1006 when it broke). */
  close(code: number, reason: string): void;
}

/** An open WebSocket. */
export class WebSocketConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closed = false;
  private closeSent = false;

  constructor(
    private readonly socket: Duplex,
    readonly protocol: string,
    private readonly handlers: WebSocketHandlers,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.finish(1006, 'connection closed'));
  }

  /** Feeds bytes that arrived with the handshake response. */
  receive(head: Buffer): void {
    if (head.length) this.onData(head);
  }

  /** Sends one binary message. */
  send(data: Buffer): void {
    if (this.closeSent || this.closed) throw new Error('WebSocket is closed');
    this.socket.write(frame(OP_BINARY, data));
  }

  /** Starts the close handshake (the socket ends when the server answers or goes). */
  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    if (!this.closeSent) {
      this.closeSent = true;
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      this.socket.write(frame(OP_CLOSE, payload));
    }
    this.socket.end();
  }

  /** Tears the connection down without a handshake. */
  destroy(): void {
    this.socket.destroy();
    this.finish(1006, 'destroyed');
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.close(code, reason);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      let parsed: ReturnType<typeof parseFrame>;
      try {
        parsed = parseFrame(this.buffer);
      } catch {
        this.destroy();
        return;
      }
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.consumed);
      this.onFrame(parsed.fin, parsed.opcode, parsed.payload);
      if (this.closed) return;
    }
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP_PING:
        if (!this.closeSent) this.socket.write(frame(OP_PONG, payload));
        return;
      case OP_PONG:
        return;
      case OP_CLOSE: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(frame(OP_CLOSE, payload.subarray(0, 2)));
        }
        this.socket.end();
        this.finish(code, reason);
        return;
      }
      case OP_TEXT:
      case OP_BINARY:
      case OP_CONTINUATION: {
        this.fragments.push(payload);
        if (!fin) {
          const size = this.fragments.reduce((n, b) => n + b.length, 0);
          if (size > MAX_MESSAGE_BYTES) this.destroy();
          return;
        }
        const message = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
        this.fragments = [];
        this.handlers.message(message);
        return;
      }
      default:
        // an unknown opcode is a protocol error
        this.destroy();
    }
  }
}

/** One client frame (always masked, as RFC 6455 requires of clients). */
export function frame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, masked]);
}

/** Parses one frame from the front of buf, or returns undefined when it is not all there yet. */
export function parseFrame(buf: Buffer): { fin: boolean; opcode: number; payload: Buffer; consumed: number } | undefined {
  if (buf.length < 2) return undefined;
  const fin = (buf[0]! & 0x80) !== 0;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    const big = buf.readBigUInt64BE(2);
    if (big > BigInt(MAX_MESSAGE_BYTES)) throw new Error('WebSocket frame too large');
    length = Number(big);
    offset = 10;
  }
  const maskKey = masked ? buf.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  let payload = buf.subarray(offset, offset + length);
  if (maskKey) {
    payload = Buffer.from(payload);
    for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ maskKey[i & 3]!;
  }
  return { fin, opcode, payload, consumed: offset + length };
}

/** Performs the upgrade handshake for url over socket; resolves with the open connection. */
export function connectWebSocket(socket: Duplex, url: URL, protocols: string[], handlers: WebSocketHandlers): Promise<WebSocketConnection> {
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1').update(key + GUID).digest('base64');
  const request = [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${protocols.join(', ')}`,
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    const fail = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onError = (err: Error): void => fail(err);
    const onClose = (): void => fail(new Error(`WebSocket handshake with ${url.host}: connection closed`));
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_HEADER_BYTES) fail(new Error('WebSocket handshake: response headers too large'));
        return;
      }
      cleanup();
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const head = received.subarray(end + 4);
      const statusLine = lines[0] ?? '';
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      if (!/^HTTP\/1\.1 101\b/.test(statusLine)) {
        socket.destroy();
        return reject(new Error(`WebSocket upgrade refused by ${url.host}${url.pathname}: ${statusLine} ${head.toString('utf8').slice(0, 200)}`.trim()));
      }
      if (headers.get('sec-websocket-accept') !== expectedAccept) {
        socket.destroy();
        return reject(new Error('WebSocket handshake: bad Sec-WebSocket-Accept'));
      }
      const connection = new WebSocketConnection(socket, headers.get('sec-websocket-protocol') ?? '', handlers);
      connection.receive(head);
      resolve(connection);
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(request);
  });
}
