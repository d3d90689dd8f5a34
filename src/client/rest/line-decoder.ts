// Splits a chunked byte stream into lines (a watch response is one JSON event per line, as
// Kubernetes' json.Encoder writes them). Chunks may end anywhere, even inside a multi-byte UTF-8
// character; a line is only decoded once it is complete. Blank lines and a trailing "\r" are
// dropped.

const NEWLINE = 0x0a;

export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = 64 * 1024 * 1024) {}

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer | string): string[] {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) break;
      let line: Buffer = buf.subarray(start, nl);
      if (this.pendingBytes > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.emit(line, lines);
      start = nl + 1;
    }
    if (start < buf.length) {
      this.pending.push(buf.subarray(start));
      this.pendingBytes += buf.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        throw new Error(`watch event longer than ${this.maxLineBytes} bytes`);
      }
    }
    return lines;
  }

  /** The stream ended: returns the last line if it had no newline. */
  end(): string[] {
    const lines: string[] = [];
    if (this.pendingBytes > 0) this.emit(Buffer.concat(this.pending), lines);
    this.pending = [];
    this.pendingBytes = 0;
    return lines;
  }

  private emit(line: Buffer, into: string[]): void {
    let text = line.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') into.push(text);
  }
}
