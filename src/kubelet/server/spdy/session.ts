// The server side of a SPDY/3.1 session, as much as Kubernetes' streaming protocols use: the peer
// opens streams (SYN_STREAM with headers), each answered at once with a SYN_REPLY; data frames in
// both directions, FIN half-closing; RST_STREAM aborting one stream; PINGs echoed; GOAWAY or the
// transport ending closing everything. Each stream is a Duplex. Flow-control frames are ignored,
// as Kubernetes' spdystream does.

import { Duplex } from 'node:stream';
import { drained } from '../../../util/drain.js';
import { ControlType, FLAG_FIN, FrameReader, controlFrame, dataFrame, u32, type Frame } from './frames.js';
import { HeaderCompression, decodeHeaderBlock, encodeHeaderBlock, type HeaderBlock } from './headers.js';

const MAX_DATA_CHUNK = 32 * 1024;
const RST_CANCEL = 5;

export class SpdyStream extends Duplex {
  constructor(
    readonly id: number,
    readonly headers: HeaderBlock,
    private readonly session: SpdySession,
  ) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.session.forget(this.id, error !== null);
    callback(error);
  }
}

export class SpdySession {
  private readonly reader = new FrameReader();
  private readonly inflate = new HeaderCompression('decompress');
  private readonly deflate = new HeaderCompression('compress');
  private readonly streams = new Map<number, SpdyStream>();
  /** Incoming frames are handled one at a time (header blocks decompress asynchronously). */
  private incoming: Promise<void> = Promise.resolve();
  /** Outgoing frames keep their order (a SYN_REPLY waits for its compression). */
  private outgoing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: Duplex,
    private readonly onStream: (stream: SpdyStream) => void,
  ) {
    transport.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch {
        return this.close();
      }
      for (const frame of frames) this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.close());
    });
    transport.once('end', () => this.close());
    transport.once('close', () => this.close());
    transport.on('error', () => this.close());
  }

  private write(frame: Buffer | (() => Promise<Buffer>)): Promise<void> {
    const run = async () => {
      if (this.closed) return;
      const bytes = typeof frame === 'function' ? await frame() : frame;
      if (this.closed) return;
      if (!this.transport.write(bytes)) await drained(this.transport);
    };
    const result = this.outgoing.then(run);
    this.outgoing = result.catch(() => undefined);
    return result;
  }

  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    if (data.length <= MAX_DATA_CHUNK) return this.write(dataFrame(streamId, data, fin));
    const writes: Promise<void>[] = [];
    for (let at = 0; at < data.length; at += MAX_DATA_CHUNK) {
      const end = Math.min(data.length, at + MAX_DATA_CHUNK);
      writes.push(this.write(dataFrame(streamId, data.subarray(at, end), fin && end === data.length)));
    }
    return Promise.all(writes).then(() => undefined);
  }

  /** A stream is done with: on an abnormal end the peer is told with RST_STREAM. */
  forget(streamId: number, reset: boolean): void {
    if (!this.streams.delete(streamId)) return;
    if (reset) void this.write(controlFrame(ControlType.RstStream, 0, u32(streamId, RST_CANCEL)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.transport.destroy();
  }

  private async handle(frame: Frame): Promise<void> {
    if (!frame.control) {
      const stream = this.streams.get(frame.streamId);
      if (!stream) return;
      if (frame.data.length) stream.push(frame.data);
      if (frame.flags & FLAG_FIN) stream.push(null);
      return;
    }
    switch (frame.type) {
      case ControlType.SynStream: {
        const id = frame.data.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflate.process(frame.data.subarray(10)));
        const stream = new SpdyStream(id, headers, this);
        this.streams.set(id, stream);
        await this.write(async () => controlFrame(ControlType.SynReply, 0, Buffer.concat([u32(id), await this.deflate.process(encodeHeaderBlock({}))])));
        if (frame.flags & FLAG_FIN) stream.push(null);
        this.onStream(stream);
        return;
      }
      case ControlType.Headers:
        await this.inflate.process(frame.data.subarray(4)); // keeps the zlib context in step
        return;
      case ControlType.RstStream: {
        const stream = this.streams.get(frame.data.readUInt32BE(0) & 0x7fffffff);
        this.streams.delete(stream?.id ?? -1);
        stream?.destroy();
        return;
      }
      case ControlType.Ping:
        await this.write(controlFrame(ControlType.Ping, 0, frame.data));
        return;
      case ControlType.GoAway:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: nothing to do
    }
  }
}
