// The request and response types the API server's handler sees. One handler serves both HTTP/2
// (node:http2's compatibility API) and HTTP/1.1 (node:http), so the request is a union of the two
// and the response is the interface both response classes satisfy.

import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

export type ServerRequest = IncomingMessage | Http2ServerRequest;

export interface ServerResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): number | string | string[] | undefined;
  hasHeader(name: string): boolean;
  removeHeader(name: string): void;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): unknown;
  /** Returns false when the caller should wait for 'drain' before writing more. */
  write(chunk: string | Uint8Array, callback?: (err?: Error | null) => void): boolean;
  end(callback?: () => void): unknown;
  end(chunk: string | Uint8Array, callback?: () => void): unknown;
  destroy(error?: Error): unknown;
  on(event: 'close' | 'finish' | 'drain', listener: () => void): unknown;
  once(event: 'close' | 'finish' | 'drain', listener: () => void): unknown;
  off(event: 'close' | 'finish' | 'drain', listener: () => void): unknown;
}

/** The API server's request function. A returned promise's rejection is answered with a 500. */
export type RequestHandler = (req: ServerRequest, res: ServerResponse) => void | Promise<void>;
