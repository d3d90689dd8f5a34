// The WebSocket client: frames round-trip (client frames masked), messages sent with the 101
// response are delivered, fragments join, pings are answered, and a refused upgrade is an error.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { binary, fakeWebSocketServer, serverFrame, type Upgrade, waitFor } from './test-support.js';
import { connectWebSocket, frame, parseFrame } from './websocket.js';

const dial = (url: URL) => connect(Number(url.port), url.hostname);

test('client frames are masked and parse back to the payload, at every length encoding', () => {
  for (const size of [0, 5, 125, 126, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(size, 7);
    const bytes = frame(0x2, payload);
    assert.ok((bytes[1]! & 0x80) !== 0, 'mask bit set');
    const parsed = parseFrame(bytes)!;
    assert.equal(parsed.consumed, bytes.length);
    assert.equal(parsed.opcode, 0x2);
    assert.ok(parsed.payload.equals(payload));
    assert.equal(parseFrame(bytes.subarray(0, bytes.length - 1)), undefined, 'an incomplete frame waits');
  }
});

test('messages that arrive with the handshake, fragments and pings; close handshake', async () => {
  let upgrade: Upgrade | undefined;
  const server = await fakeWebSocketServer(
    () => Buffer.concat([binary(1, 'early'), serverFrame(0x2, Buffer.from('fra'), false), serverFrame(0x0, Buffer.from('gment')), serverFrame(0x9, Buffer.from('p'))]),
    (u) => (upgrade = u),
  );
  try {
    const url = new URL(`${server.url}/exec/token`);
    const messages: string[] = [];
    let closed: number | undefined;
    const ws = await connectWebSocket(dial(url), url, ['v4.channel.k8s.io'], {
      message: (data) => messages.push(data.toString('latin1')),
      close: (code) => (closed = code),
    });
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    ws.send(Buffer.from('\u0000hi'));
    await waitFor(() => (upgrade?.received.length ?? 0) >= 2);
    assert.deepEqual(messages, ['\u0001early', 'fragment']);
    assert.equal(upgrade!.url, '/exec/token');
    assert.deepEqual(upgrade!.received[0], { opcode: 0xa, payload: Buffer.from('p') }, 'ping answered with pong');
    assert.deepEqual(upgrade!.received[1], { opcode: 0x2, payload: Buffer.from('\u0000hi') });
    ws.close();
    await waitFor(() => closed !== undefined);
    assert.equal(closed, 1000);
  } finally {
    await server.close();
  }
});

test('a refused upgrade rejects with the status line', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.writeHead(404).end('no such session'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const url = new URL(`http://127.0.0.1:${port}/exec/gone`);
    await assert.rejects(
      connectWebSocket(dial(url), url, ['v4.channel.k8s.io'], { message: () => undefined, close: () => undefined }),
      /upgrade refused .*404/,
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
