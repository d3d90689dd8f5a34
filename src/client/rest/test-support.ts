// A scripted Transport for unit tests of RestClient and watches: each request takes the next
// scripted answer (a response, a streaming response fed by the test, or a ConnectionError).

import { PassThrough, Readable } from 'node:stream';
import { ConnectionError, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { stream: PassThrough; status?: number }
  | { error: ConnectionError };

export class FakeTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  private readonly answers: Answer[] = [];
  closed = false;

  /** Queues answers for the next requests. */
  answer(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    this.requests.push(req);
    const a = this.answers.shift();
    if (!a) throw new Error(`no scripted answer for ${req.method} ${req.path}`);
    if ('error' in a) throw a.error;
    if ('stream' in a) {
      const stream = a.stream;
      return { status: a.status ?? 200, headers: {}, body: stream, cancel: () => stream.destroy() };
    }
    const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return { status: a.status, headers: a.headers ?? {}, body: Readable.from([Buffer.from(text)]), cancel: () => undefined };
  }

  close(): void {
    this.closed = true;
  }
}

export const refused = (): { error: ConnectionError } => ({
  error: new ConnectionError('connect ECONNREFUSED', { notProcessed: true, code: 'ECONNREFUSED' }),
});
export const reset = (): { error: ConnectionError } => ({
  error: new ConnectionError('stream reset', { notProcessed: false, code: 'ECONNRESET' }),
});

/** Lets pending promise chains and stream callbacks run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
