import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { test } from 'node:test';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { ControlType, FLAG_FIN, FrameReader, controlFrame, dataFrame, u32, type Frame } from './frames.js';
import { HeaderCompression, decodeHeaderBlock, encodeHeaderBlock } from './headers.js';
import { serveSpdyPortForward } from './port-forward.js';

/** Two connected in-memory duplexes (client end, server end). */
function pipePair(): [Duplex, Duplex] {
  const a = new PassThrough();
  const b = new PassThrough();
  const ends: [Duplex, Duplex] = [Duplex.from({ readable: b, writable: a }), Duplex.from({ readable: a, writable: b })];
  for (const s of [a, b, ...ends]) s.on('error', () => {}); // teardown aborts whatever is still open
  return ends;
}

/** A tiny SPDY client: its own compression contexts, frames collected as they arrive. */
function client(transport: Duplex) {
  const deflate = new HeaderCompression('compress');
  const inflate = new HeaderCompression('decompress');
  const reader = new FrameReader();
  const frames: Frame[] = [];
  transport.on('data', (c: Buffer) => frames.push(...reader.push(c)));
  return {
    frames,
    async syn(id: number, headers: Record<string, string>, fin = false) {
      const block = await deflate.process(encodeHeaderBlock(headers));
      transport.write(controlFrame(ControlType.SynStream, fin ? FLAG_FIN : 0, Buffer.concat([u32(id, 0), Buffer.from([0, 0]), block])));
    },
    send: (frame: Buffer) => transport.write(frame),
    decode: async (frame: Frame & { control: true }) => decodeHeaderBlock(await inflate.process(frame.data.subarray(4))),
  };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('the dictionary is the 1423-byte SPDY/3 one', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\x00\x00\x00\x07options');
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith(',*,enq=0.'));
});

test('header blocks survive compression across several blocks of one context', async () => {
  const deflate = new HeaderCompression('compress');
  const inflate = new HeaderCompression('decompress');
  const blocks: Record<string, string>[] = [{ streamtype: 'error', port: '80' }, { streamtype: 'data', port: '80', requestid: '0' }];
  for (const headers of blocks) {
    assert.deepEqual(decodeHeaderBlock(await inflate.process(await deflate.process(encodeHeaderBlock(headers)))), headers);
  }
});

test('frames: control and data round trip', () => {
  const reader = new FrameReader();
  const bytes = Buffer.concat([controlFrame(ControlType.Ping, 0, u32(7)), dataFrame(3, Buffer.from('abc'), true)]);
  const frames = [...reader.push(bytes.subarray(0, 5)), ...reader.push(bytes.subarray(5))];
  assert.deepEqual(frames, [
    { control: true, type: ControlType.Ping, flags: 0, data: u32(7) },
    { control: false, streamId: 3, flags: FLAG_FIN, data: Buffer.from('abc') },
  ]);
});

test('port-forward over a SPDY session: replies, pings, data both ways, FIN at the end', async () => {
  const [clientEnd, serverEnd] = pipePair();
  const pod = pipePair();
  const dialed: number[] = [];
  serveSpdyPortForward(serverEnd, async (port) => {
    dialed.push(port);
    return pod[0];
  });
  const c = client(clientEnd);
  const podSide = pod[1];
  let podGot = '';
  podSide.on('data', (d: Buffer) => (podGot += d.toString()));

  await c.syn(1, { streamtype: 'error', port: '8080', requestid: '0' }, true);
  await c.syn(3, { streamtype: 'data', port: '8080', requestid: '0' });
  c.send(controlFrame(ControlType.Ping, 0, u32(1)));
  await until('two replies and a ping', () => c.frames.filter((f) => f.control).length >= 3);
  const replies = c.frames.filter((f): f is Frame & { control: true } => f.control && f.type === ControlType.SynReply);
  assert.deepEqual(replies.map((f) => f.data.readUInt32BE(0)), [1, 3]);
  assert.deepEqual(await c.decode(replies[0]!), {});
  assert.ok(c.frames.some((f) => f.control && f.type === ControlType.Ping && f.data.readUInt32BE(0) === 1));
  await until('the dial', () => dialed.length === 1);
  assert.deepEqual(dialed, [8080]);

  c.send(dataFrame(3, Buffer.from('GET /'), false));
  await until('the request at the pod', () => podGot === 'GET /');
  podSide.end('200 OK');
  await until('the answer and FIN', () => c.frames.some((f) => !f.control && f.streamId === 3 && (f.flags & FLAG_FIN) !== 0));
  const answer = Buffer.concat(c.frames.filter((f) => !f.control && f.streamId === 3).map((f) => f.data)).toString();
  assert.equal(answer, '200 OK');
  clientEnd.destroy();
});
