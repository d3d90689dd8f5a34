// Reads a container's CRI-format log file and writes the log text as `kubectl logs` shows it:
// from the last tailLines lines, entries since a time, with their timestamps if asked, up to
// limitBytes. Following keeps reading as the file grows, moves on to the new file when the log is
// rotated (renamed away and recreated) or starts over when it is truncated, and ends at the end
// of the file once the container no longer runs — or when the caller aborts.

import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Clock } from '../../util/clock.js';
import { parseCriLogLine } from './cri-log.js';
import type { LogOptions } from './log-options.js';

export interface LogSink {
  /** Writes a chunk; resolves when the consumer can take more. */
  write(chunk: Buffer): Promise<void>;
}

export interface FollowControl {
  clock: Clock;
  /** Whether the container still runs; following stops at the end of the log once it does not. */
  isRunning(): Promise<boolean>;
  /** Ends the read (the client went away). */
  signal?: AbortSignal;
  /** How often a followed file is checked for growth or rotation; default 100 ms. */
  pollMs?: number;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** The offset where the last `lines` lines of the file start. */
export async function tailOffset(fh: FileHandle, size: number, lines: number): Promise<number> {
  if (lines <= 0) return size;
  const buf = Buffer.alloc(CHUNK);
  let pos = size;
  let count = 0;
  while (pos > 0) {
    const n = Math.min(CHUNK, pos);
    pos -= n;
    await fh.read(buf, 0, n, pos);
    for (let i = n - 1; i >= 0; i--) {
      if (buf[i] !== NEWLINE || pos + i === size - 1) continue;
      if (++count === lines) return pos + i + 1;
    }
  }
  return 0;
}

/** Turns log file bytes into output: splits lines, parses, filters and formats them. */
class LineFormatter {
  private pending: Buffer[] = [];
  private written = 0;

  constructor(
    private readonly options: LogOptions,
    private readonly sink: LogSink,
  ) {}

  /** False once limitBytes is reached. */
  get open(): boolean {
    return this.options.limitBytes === undefined || this.written < this.options.limitBytes;
  }

  async push(data: Buffer): Promise<void> {
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0 && this.open; nl = data.indexOf(NEWLINE, start)) {
      this.pending.push(data.subarray(start, nl));
      start = nl + 1;
      const line = Buffer.concat(this.pending);
      this.pending = [];
      await this.line(line);
    }
    if (start < data.length && this.open) this.pending.push(Buffer.from(data.subarray(start)));
  }

  /** An unterminated last line, once no more is coming. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    await this.line(line);
  }

  /** Drops a half-read line (the file it came from was truncated). */
  reset(): void {
    this.pending = [];
  }

  private async line(line: Buffer): Promise<void> {
    const entry = parseCriLogLine(line);
    if (!entry) return;
    if (this.options.since !== undefined && entry.time < this.options.since) return;
    const parts = this.options.timestamps ? [Buffer.from(`${entry.timestamp} `), entry.text] : [entry.text];
    if (entry.full) parts.push(Buffer.from('\n'));
    let out = Buffer.concat(parts);
    if (this.options.limitBytes !== undefined) out = out.subarray(0, this.options.limitBytes - this.written);
    this.written += out.length;
    if (out.length > 0) await this.sink.write(out);
  }
}

async function readAll(fh: FileHandle, from: number, formatter: LineFormatter, signal?: AbortSignal): Promise<number> {
  const buf = Buffer.alloc(CHUNK);
  let offset = from;
  while (formatter.open && !signal?.aborted) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
    await formatter.push(buf.subarray(0, bytesRead));
  }
  return offset;
}

/** A different file now at `path` (the log was rotated), opened; undefined when it is the same or absent. */
async function rotated(path: string, fh: FileHandle): Promise<FileHandle | undefined> {
  try {
    const [now, current] = await Promise.all([stat(path), fh.stat()]);
    if (now.ino === current.ino && now.dev === current.dev) return undefined;
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function pause(control: FollowControl): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = control.clock.setTimeout(() => {
      control.signal?.removeEventListener('abort', onAbort);
      resolve();
    }, control.pollMs ?? 100);
    control.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Writes the log at `path` to the sink as the options ask. Rejects (ENOENT …) when the file cannot be opened. */
export async function readContainerLog(path: string, options: LogOptions, sink: LogSink, control: FollowControl): Promise<void> {
  let fh = await open(path, 'r');
  try {
    const formatter = new LineFormatter(options, sink);
    const size = (await fh.stat()).size;
    let offset = options.tailLines !== undefined ? await tailOffset(fh, size, options.tailLines) : 0;
    offset = await readAll(fh, offset, formatter, control.signal);
    if (!options.follow) return await formatter.flush();
    while (formatter.open && !control.signal?.aborted) {
      const next = await rotated(path, fh);
      if (next) {
        // Whatever reached the old file before it was renamed away, then the new file from its start.
        await readAll(fh, offset, formatter, control.signal);
        await formatter.flush();
        await fh.close();
        fh = next;
        offset = await readAll(fh, 0, formatter, control.signal);
        continue;
      }
      if ((await fh.stat()).size < offset) {
        formatter.reset();
        offset = 0; // truncated in place: start over
      }
      const running = await control.isRunning();
      const before = offset;
      offset = await readAll(fh, offset, formatter, control.signal);
      if (offset !== before) continue;
      if (!running) return await formatter.flush();
      await pause(control);
    }
  } finally {
    await fh.close();
  }
}
