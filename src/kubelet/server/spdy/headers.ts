// SPDY/3 header blocks: a 32-bit count of pairs, each a 32-bit-length-prefixed name and value
// (several values joined by NUL), compressed with zlib primed with the SPDY dictionary. One zlib
// context per direction lasts the whole session, so blocks are compressed and decompressed
// strictly in order (each ends with a sync flush).

import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

export type HeaderBlock = Record<string, string>;

export function encodeHeaderBlock(headers: HeaderBlock): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed block; multiple values of a name are kept NUL-joined as sent. */
export function decodeHeaderBlock(block: Buffer): HeaderBlock {
  const out: HeaderBlock = {};
  let at = 0;
  const take = (): string => {
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new Error('truncated SPDY header block');
    const s = block.subarray(at, at + len).toString('utf8');
    at += len;
    return s;
  };
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    out[name] = take();
  }
  return out;
}

/** One direction's zlib context: each call compresses (or decompresses) one block, in call order. */
export class HeaderCompression {
  private readonly engine: Deflate | Inflate;
  private chunks: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(direction: 'compress' | 'decompress') {
    this.engine = direction === 'compress' ? createDeflate({ dictionary: SPDY3_DICTIONARY }) : createInflate({ dictionary: SPDY3_DICTIONARY });
    this.engine.on('data', (c: Buffer) => this.chunks.push(c));
    this.engine.on('error', () => {});
  }

  process(input: Buffer): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.engine.once('error', onError);
        this.engine.write(input);
        this.engine.flush(constants.Z_SYNC_FLUSH, () => {
          this.engine.off('error', onError);
          const out = Buffer.concat(this.chunks);
          this.chunks = [];
          resolve(out);
        });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.engine.destroy();
  }
}
