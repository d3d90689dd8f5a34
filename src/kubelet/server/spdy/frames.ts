// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 and the 3.1 amendments): an 8-byte header, then
// the payload. Control frames: 1 bit set, 15-bit version (3), 16-bit type, 8-bit flags, 24-bit
// length. Data frames: 1 bit clear, 31-bit stream id, 8-bit flags (FIN), 24-bit length.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export type Frame =
  | { control: false; streamId: number; flags: number; data: Buffer }
  | { control: true; type: number; flags: number; data: Buffer };

/** Accumulates transport bytes and cuts them into frames. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUIntBE(5, 3);
      if (this.buffer.length < 8 + length) break;
      const first = this.buffer.readUInt32BE(0);
      const flags = this.buffer[4]!;
      const data = Buffer.from(this.buffer.subarray(8, 8 + length));
      if (first & 0x80000000) frames.push({ control: true, type: first & 0xffff, flags, data });
      else frames.push({ control: false, streamId: first & 0x7fffffff, flags, data });
      this.buffer = this.buffer.subarray(8 + length);
    }
    return frames;
  }
}

function header(first: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(first >>> 0, 0);
  h[4] = flags;
  h.writeUIntBE(length, 5, 3);
  return h;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x8000 | SPDY_VERSION) * 0x10000 + type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, fin ? FLAG_FIN : 0, data.length), data]);
}

export function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}
