// The CRI container log format the kubelet reads (`kubectl logs`): one record per line,
// "<RFC3339Nano time> <stdout|stderr> <F|P> <text>\n", P marking a partial line cut at 16 KiB (the
// rest follows in later records, the last one tagged F). Turns a byte stream into such records.

import type { Clock } from '../../util/clock.js';

export type LogStream = 'stdout' | 'stderr';

/** The longest line written as one record; longer lines are split into P records. */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

/** A time as RFC 3339 with nanoseconds (Go's RFC3339Nano, trailing zeros kept). */
export function formatLogTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, -1)}000000Z`;
}

export function formatLogRecord(time: number, stream: LogStream, partial: boolean, text: Buffer): Buffer {
  const head = Buffer.from(`${formatLogTime(time)} ${stream} ${partial ? 'P' : 'F'} `);
  return Buffer.concat([head, text, Buffer.from('\n')]);
}

/** Splits one stream's bytes into CRI records, passing each to `emit`. */
export class CriLineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly stream: LogStream,
    private readonly clock: Clock,
    private readonly emit: (record: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const nl = data.indexOf(0x0a);
      if (nl >= 0 && nl <= MAX_LOG_LINE_BYTES) {
        this.emit(formatLogRecord(this.clock.now(), this.stream, false, data.subarray(0, nl)));
        data = data.subarray(nl + 1);
      } else if (data.length > MAX_LOG_LINE_BYTES) {
        this.emit(formatLogRecord(this.clock.now(), this.stream, true, data.subarray(0, MAX_LOG_LINE_BYTES)));
        data = data.subarray(MAX_LOG_LINE_BYTES);
      } else {
        break;
      }
    }
    this.pending = Buffer.from(data);
  }

  /** At the end of the stream: a last line without a newline is written as a full record. */
  end(): void {
    if (this.pending.length) this.emit(formatLogRecord(this.clock.now(), this.stream, false, this.pending));
    this.pending = Buffer.alloc(0);
  }
}
