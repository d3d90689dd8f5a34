// The API server's HTTPS listener: one TLS port speaking HTTP/2 and HTTP/1.1 (ALPN), asking for
// (but not requiring) client certificates signed by the client CA, with graceful shutdown —
// stop accepting, GOAWAY to HTTP/2 sessions, end long-running requests, let the rest finish,
// and tear down whatever is left at the deadline.

import { once } from 'node:events';
import * as http2 from 'node:http2';
import type { IncomingMessage, ServerResponse as Http1ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { ConnectionTracker } from './connections.js';
import { createLongRunningRegistry, type LongRunningRegistry } from './long-running.js';
import type { RequestHandler, ServerRequest, ServerResponse } from './types.js';

export interface ServingTls {
  certPem: string;
  keyPem: string;
  /** CA bundle that client certificates are verified against; no client certificates without it. */
  clientCaPem?: string;
}

/** Handles an HTTP/1.1 upgrade request (WebSocket, SPDY) on its raw socket. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface SecureServerOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  tls: ServingTls;
  handler: RequestHandler;
  /** Upgrade requests (kubectl exec/attach/port-forward over WebSocket); refused with 400 when absent. */
  upgradeHandler?: UpgradeHandler;
  /** Registry where long-running handlers (watches) register; a new one when omitted. */
  longRunning?: LongRunningRegistry;
  logger?: Logger;
  clock?: Clock;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection; default 1000 like kube-apiserver. */
  maxConcurrentStreams?: number;
  /** Cap on buffered memory per HTTP/2 session in MB; default 64. */
  maxSessionMemoryMb?: number;
}

export interface ShutdownOptions {
  /** How long in-flight requests may take before connections are destroyed; default 10 s. */
  timeoutMs?: number;
}

export interface SecureServer {
  readonly host: string;
  /** The bound port. */
  readonly port: number;
  readonly longRunning: LongRunningRegistry;
  /**
   * Swaps the certificate, key or client CA for new connections. Whether client certificates are
   * requested at all is fixed at start (by whether tls.clientCaPem was given).
   */
  updateTls(tls: ServingTls): void;
  /** Graceful: see the file header. Resolves when every connection is closed. */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** Immediate: closes the listener and destroys every connection. */
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_MS = 10_000;
const INTERNAL_ERROR = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Internal error occurred: request handler failed',
  reason: 'InternalError',
  code: 500,
});

function secureContextOptions(tls: ServingTls): http2.SecureServerOptions {
  return {
    cert: tls.certPem,
    key: tls.keyPem,
    ...(tls.clientCaPem ? { ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false } : { requestCert: false }),
  };
}

function failRequest(res: ServerResponse, err: unknown, logger: Logger): void {
  logger.error('request handler failed', { error: err instanceof Error ? err : String(err) });
  if (res.headersSent) {
    res.destroy();
  } else if (!res.writableEnded) {
    res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(INTERNAL_ERROR) });
    res.end(INTERNAL_ERROR);
  }
}

/**
 * Sends an HTTP/1.1 `100 Continue` without letting it follow the final response.
 *
 * Node's default writes the 100 at once, but a keep-alive connection's next request can be parsed
 * while the previous response is still attached to the socket (its 'finish' not yet processed):
 * the new response is then queued and its 100 buffered. If the handler answers before the socket
 * is handed over, Node puts the final response's head in front of everything buffered
 * (OutgoingMessage._send unshifts it), so the wire carries `HTTP/1.1 404 …` + `100 Continue` +
 * body: the client reads the 100 as the start of the body and fails to parse the rest. So a
 * queued response sends its 100 when it gets the socket, and not at all if it has answered by
 * then (the 100 is optional; Node then closes the connection after the answer, as a client that
 * waited for the 100 may still send the body).
 */
function writeContinueInOrder(res: Http1ServerResponse): void {
  if (res.socket) {
    res.writeContinue();
    return;
  }
  res.once('socket', () => {
    if (!res.headersSent) res.writeContinue();
  });
}

export async function startSecureServer(options: SecureServerOptions): Promise<SecureServer> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? realClock;
  const longRunning = options.longRunning ?? createLongRunningRegistry();
  const host = options.host ?? '127.0.0.1';
  const tracker = new ConnectionTracker();
  const handler = options.handler;

  const server = http2.createSecureServer({
    ...secureContextOptions(options.tls),
    allowHTTP1: true,
    minVersion: 'TLSv1.2',
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 1000 },
    maxSessionMemory: options.maxSessionMemoryMb ?? 64,
  });

  server.on('connection', (socket: Socket) => tracker.addSocket(socket));
  server.on('secureConnection', (socket: TLSSocket) => tracker.addSecureSocket(socket));
  server.on('session', (session: http2.ServerHttp2Session) => tracker.addSession(session));
  server.on('sessionError', (err: Error) => logger.debug('http2 session error', { error: err }));
  server.on('tlsClientError', (err: Error) => logger.debug('tls handshake failed', { error: err }));
  // HTTP/1.1 requests the parser refuses (oversized headers, garbage) still get a Status body.
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const code = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: tooLarge ? 'request header fields too large' : 'malformed HTTP request',
      reason: tooLarge ? 'RequestHeaderFieldsTooLarge' : 'BadRequest',
      code,
    });
    socket.end(
      `HTTP/1.1 ${code} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  // Upgrades come over HTTP/1.1 (kubectl dials them with ALPN http/1.1); the socket is tracked
  // as an HTTP/1.1 connection already and is destroyed at the shutdown deadline like the rest.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (options.upgradeHandler) {
      try {
        return options.upgradeHandler(req, socket, head);
      } catch (err) {
        logger.error('upgrade handler failed', { error: err instanceof Error ? err : String(err) });
        return void socket.destroy();
      }
    }
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'upgrade requests are not supported', reason: 'BadRequest', code: 400 });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  const serve = (req: ServerRequest, res: ServerResponse): void => {
    if (req.httpVersionMajor !== 2) tracker.trackHttp1(req.socket, res);
    try {
      const result = handler(req, res);
      if (result !== undefined) result.then(undefined, (err: unknown) => failRequest(res, err, logger));
    } catch (err) {
      failRequest(res, err, logger);
    }
  };
  server.on('request', serve);
  // `Expect: 100-continue` (Node emits this instead of 'request' once it has a listener).
  server.on('checkContinue', (req: ServerRequest, res: ServerResponse) => {
    if (req.httpVersionMajor === 2) (res as http2.Http2ServerResponse).writeContinue();
    else writeContinueInOrder(res as unknown as Http1ServerResponse);
    serve(req, res);
  });

  server.listen(options.port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => Promise.reject(err as Error)),
  ]);
  const port = (server.address() as AddressInfo).port;
  logger.info('serving securely', { host, port });

  let closed: Promise<void> | undefined;
  const stopListening = () =>
    (closed ??= new Promise<void>((resolve) => server.close(() => resolve())));

  return {
    host,
    port,
    longRunning,
    updateTls(tls) {
      server.setSecureContext({ cert: tls.certPem, key: tls.keyPem, ...(tls.clientCaPem ? { ca: tls.clientCaPem } : {}) });
    },
    async shutdown(shutdownOptions = {}) {
      const done = stopListening();
      tracker.drain();
      longRunning.endAll();
      const deadline = clock.setTimeout(() => {
        if (tracker.openConnections) logger.warn('shutdown deadline reached; closing connections', { open: tracker.openConnections });
        tracker.destroyAll();
      }, shutdownOptions.timeoutMs ?? DEFAULT_SHUTDOWN_MS);
      try {
        await done;
      } finally {
        deadline.cancel();
      }
    },
    async close() {
      const done = stopListening();
      longRunning.endAll();
      tracker.destroyAll();
      await done;
    },
  };
}
