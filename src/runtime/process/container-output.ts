// A running container's output: reads its stdout and stderr FIFOs, writes them to the CRI log file
// as they come (one splitter per stream, one append-only file), and copies the raw bytes to any
// attached sessions (kubectl attach). `done` resolves once both streams have ended (every process
// holding them has exited) and the log is flushed.

import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '../../util/clock.js';
import { CriLineSplitter, type LogStream } from './cri-log.js';
import { openFifoReader } from './fifo.js';

export type OutputListener = Partial<Record<LogStream, Writable>>;

export class ContainerOutput {
  readonly done: Promise<void>;
  private readonly listeners = new Set<OutputListener>();
  private readonly readers: Readable[] = [];

  constructor(fifos: Record<LogStream, string>, logPath: string, clock: Clock) {
    mkdirSync(dirname(logPath), { recursive: true });
    const log = createWriteStream(logPath, { flags: 'a' });
    log.on('error', () => {}); // a vanished log directory must not crash the runtime
    const streams = (['stdout', 'stderr'] as const).map((name) => {
      const reader = openFifoReader(fifos[name]);
      this.readers.push(reader);
      const splitter = new CriLineSplitter(name, clock, (record) => log.write(record));
      return new Promise<void>((resolve) => {
        reader.on('data', (chunk: Buffer) => {
          splitter.write(chunk);
          for (const l of this.listeners) l[name]?.write(chunk);
        });
        const finish = () => {
          splitter.end();
          resolve();
        };
        reader.once('end', finish);
        reader.once('error', finish);
      });
    });
    this.done = Promise.all(streams).then(
      () =>
        new Promise<void>((resolve) => {
          for (const l of this.listeners) for (const s of Object.values(l)) s?.end();
          this.listeners.clear();
          log.end(() => resolve());
        }),
    );
  }

  /** Copies the output to these streams from now on; returns the function that stops it. */
  attach(listener: OutputListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops reading (the container's processes keep the FIFOs; a later runtime may read on). */
  close(): void {
    for (const r of this.readers) r.destroy();
  }
}
