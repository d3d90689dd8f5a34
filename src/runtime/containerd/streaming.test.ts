// The channel protocols over WebSocket: exec/attach sessions (stdout/stderr channels, stdin and
// resize out, the exit code from the v4 Status) and port-forward (the 2-byte port prefix on each
// channel is dropped, errors end the stream).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitCodeFromStatus, openPortForward, openStreamSession, tcpDialer } from './streaming.js';
import { binary, fakeWebSocketServer, serverFrame, type Upgrade, waitFor } from './test-support.js';

const nonZero = (code: number): string =>
  JSON.stringify({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } });

test('exit codes from the v4 error channel', () => {
  assert.equal(exitCodeFromStatus(''), 0);
  assert.equal(exitCodeFromStatus('{"metadata":{},"status":"Success"}'), 0);
  assert.equal(exitCodeFromStatus(nonZero(42)), 42);
  assert.throws(() => exitCodeFromStatus('{"status":"Failure","message":"container not running"}'), /container not running/);
  assert.throws(() => exitCodeFromStatus('plain text'), /plain text/);
});

const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString();

test('an exec session: output channels, stdin and resize, and the exit code', async () => {
  let upgrade: Upgrade | undefined;
  const server = await fakeWebSocketServer(() => Buffer.concat([binary(1, ''), binary(1, 'out'), binary(2, 'err')]), (u) => (upgrade = u));
  try {
    const session = await openStreamSession(`${server.url}/exec/abc`, { stdin: true, stdout: true, stderr: true, tty: false }, tcpDialer);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    session.stdout!.on('data', (c: Buffer) => out.push(c));
    session.stderr!.on('data', (c: Buffer) => err.push(c));
    session.stdin!.write('in');
    session.resize(80, 24); // not a tty: nothing sent
    await waitFor(() => (upgrade?.received.length ?? 0) >= 1);
    assert.deepEqual(upgrade!.received[0]!.payload, Buffer.from('\u0000in'));
    upgrade!.socket.write(Buffer.concat([binary(3, nonZero(3)), serverFrame(0x8, Buffer.from([0x03, 0xe8]))]));
    assert.equal(await session.exit, 3);
    assert.equal(text(out), 'out');
    assert.equal(text(err), 'err');
    await waitFor(() => upgrade!.received.length >= 2);
    assert.deepEqual(upgrade!.received.map((m) => m.opcode), [0x2, 0x8], 'only stdin and the close reply were sent');
  } finally {
    await server.close();
  }
});

test('a tty session sends resize on channel 4 and has no separate stderr', async () => {
  let upgrade: Upgrade | undefined;
  const server = await fakeWebSocketServer(() => Buffer.alloc(0), (u) => (upgrade = u));
  try {
    const session = await openStreamSession(`${server.url}/attach/abc`, { stdin: false, stdout: true, stderr: true, tty: true }, tcpDialer);
    assert.equal(session.stderr, undefined);
    session.resize(100, 30);
    await waitFor(() => (upgrade?.received.length ?? 0) >= 1);
    assert.equal(upgrade!.received[0]!.payload[0], 4);
    assert.deepEqual(JSON.parse(upgrade!.received[0]!.payload.subarray(1).toString()), { Width: 100, Height: 30 });
    upgrade!.socket.end(serverFrame(0x8, Buffer.from([0x03, 0xe8])));
    assert.equal(await session.exit, 0);
  } finally {
    await server.close();
  }
});

test('a stream that breaks without a Status rejects exit', async () => {
  let upgrade: Upgrade | undefined;
  const server = await fakeWebSocketServer(() => binary(1, 'partial'), (u) => (upgrade = u));
  try {
    const session = await openStreamSession(`${server.url}/exec/abc`, { stdin: false, stdout: true, stderr: false, tty: false }, tcpDialer);
    session.stdout!.resume();
    await waitFor(() => upgrade !== undefined);
    upgrade!.socket.destroy();
    await assert.rejects(session.exit, /exec stream to 127\.0\.0\.1:\d+ broke/);
  } finally {
    await server.close();
  }
});

test('port-forward asks for the port, drops the port prefixes and carries the bytes', async () => {
  let upgrade: Upgrade | undefined;
  const prefix = Buffer.from([0x90, 0x1f]); // 8080, little-endian
  const server = await fakeWebSocketServer(
    () => Buffer.concat([serverFrame(0x2, Buffer.concat([Buffer.from([0]), prefix])), serverFrame(0x2, Buffer.concat([Buffer.from([1]), prefix]))]),
    (u) => (upgrade = u),
  );
  try {
    const stream = await openPortForward(`${server.url}/portforward/tok`, 8080, tcpDialer);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.write('ping');
    await waitFor(() => (upgrade?.received.length ?? 0) >= 1);
    assert.equal(upgrade!.url, '/portforward/tok?port=8080');
    assert.deepEqual(upgrade!.received[0]!.payload, Buffer.from('\u0000ping'));
    upgrade!.socket.end(Buffer.concat([binary(0, 'pong'), serverFrame(0x8, Buffer.from([0x03, 0xe8]))]));
    await new Promise((resolve) => stream.once('end', resolve));
    assert.equal(text(chunks), 'pong');
  } finally {
    await server.close();
  }
});

test('port-forward: an error before the stream is handed out rejects the open', async () => {
  const prefix = Buffer.from([0x50, 0x00]);
  const server = await fakeWebSocketServer(
    () =>
      Buffer.concat([
        serverFrame(0x2, Buffer.concat([Buffer.from([1]), prefix])),
        binary(1, 'connection refused'),
        serverFrame(0x8, Buffer.from([0x03, 0xe8])),
      ]),
    () => undefined,
  );
  try {
    await assert.rejects(openPortForward(`${server.url}/portforward/tok`, 80, tcpDialer), /port 80: connection refused/);
  } finally {
    await server.close();
  }
});
