// A watch: the streaming response of a ?watch=true request read as it arrives, one JSON event per
// line, as an async iterable of {type, object}. ERROR events carry a Status (410 Gone / Expired
// means: relist). Iteration ends when the server ends the stream (timeoutSeconds, shutdown) or
// stop() is called, and throws a ConnectionError when the connection breaks mid-stream.

import type { KubeObject } from '../../api/object.js';
import type { Status } from '../../api/status.js';
import { LineDecoder } from './line-decoder.js';
import { ConnectionError, type TransportResponse } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/** What informers need of a watch: events, and a way to end it. */
export interface WatchInterface<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

export class Watch<T extends KubeObject = KubeObject> implements WatchInterface<T> {
  private stopped = false;
  private iterating = false;

  constructor(private readonly response: TransportResponse) {}

  /** Ends the watch; a pending iteration finishes without error. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.response.cancel();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterating) throw new Error('a watch can be iterated only once');
    this.iterating = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    const decoder = new LineDecoder();
    try {
      try {
        for await (const chunk of this.response.body as AsyncIterable<Buffer>) {
          for (const line of decoder.push(chunk)) {
            if (this.stopped) return;
            yield parseEvent<T>(line);
          }
        }
      } catch (err) {
        if (this.stopped) return;
        throw new ConnectionError(`watch stream broke: ${(err as Error).message}`, { notProcessed: false, cause: err });
      }
      if (this.stopped) return;
      for (const line of decoder.end()) yield parseEvent<T>(line);
    } finally {
      this.stop();
    }
  }
}

/** Decodes one line of a watch stream. */
export function parseEvent<T extends KubeObject>(line: string): WatchEvent<T> {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch (err) {
    throw new Error(`malformed watch event: ${(err as Error).message}: ${line.slice(0, 200)}`);
  }
  if (typeof event !== 'object' || event === null) throw new Error(`malformed watch event: ${line.slice(0, 200)}`);
  const { type, object } = event as { type?: unknown; object?: unknown };
  if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK' && type !== 'ERROR') {
    throw new Error(`watch event of unknown type ${JSON.stringify(type)}`);
  }
  if (typeof object !== 'object' || object === null) throw new Error(`watch event ${type} without an object`);
  return { type, object } as WatchEvent<T>;
}
