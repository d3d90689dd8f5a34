// The CRI container log format, one entry per line: `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`.
// F ends a line; P is a piece of a longer line (its text is continued by the following entries).

export type LogStream = 'stdout' | 'stderr';

export interface CriLogEntry {
  /** The timestamp exactly as written (kept for --timestamps output, which keeps its nanoseconds). */
  timestamp: string;
  /** The timestamp in milliseconds since the epoch. */
  time: number;
  stream: LogStream;
  /** True for a full line (tag F), false for a partial one (tag P). */
  full: boolean;
  /** The text, without the line's trailing newline. */
  text: Buffer;
}

const SPACE = 0x20;

/** Parses one log line (without its newline); undefined when it is not in the CRI format. */
export function parseCriLogLine(line: Buffer): CriLogEntry | undefined {
  const s1 = line.indexOf(SPACE);
  if (s1 <= 0) return undefined;
  const s2 = line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const timestamp = line.subarray(0, s1).toString('latin1');
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  const stream = line.subarray(s1 + 1, s2).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The tag may be absent in old writers' output: then the rest is the text of a full line.
  const s3 = line.indexOf(SPACE, s2 + 1);
  const tag = s3 < 0 ? line.subarray(s2 + 1).toString('latin1') : line.subarray(s2 + 1, s3).toString('latin1');
  if (tag === 'F' || tag === 'P') {
    return { timestamp, time, stream, full: tag === 'F', text: s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1) };
  }
  return { timestamp, time, stream, full: true, text: line.subarray(s2 + 1) };
}
