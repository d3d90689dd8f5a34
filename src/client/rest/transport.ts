// The wire under a RestClient. `Http2Transport` multiplexes every request over one HTTP/2 session
// over TLS, as Kubernetes clients do, and opens a new session when the server sends GOAWAY or the
// connection closes. Requests resolve when the response headers arrive; the body is a stream, so
// watches read it as it comes. Failures before a response are `ConnectionError`s that say whether
// the server cannot have processed the request (safe to retry whatever the verb).

import * as http2 from 'node:http2';
import type { Readable } from 'node:stream';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import type { TlsConfig } from './config.js';
import { abortError } from './sleep.js';

export interface TransportRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as it arrives. */
  body: Readable;
  /** Abandons the response (resets the stream). */
  cancel(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Ends every open stream and the connection. */
  close(): void;
  /** New TLS credentials for new connections; the current connection finishes its streams and closes. */
  updateTls?(tls: TlsConfig): void;
}

/** The request never reached the server or got no response (connection refused, reset, GOAWAY…). */
export class ConnectionError extends Error {
  /** True when the server cannot have acted on the request, so any verb may be retried. */
  readonly notProcessed: boolean;
  readonly code: string | undefined;

  constructor(message: string, options: { notProcessed: boolean; code?: string; cause?: unknown }) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ConnectionError';
    this.notProcessed = options.notProcessed;
    this.code = options.code;
  }
}

export function isConnectionError(err: unknown): err is ConnectionError {
  return err instanceof ConnectionError;
}

/** Errors from connecting: nothing was sent. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export interface Http2TransportOptions {
  server: string;
  tls?: TlsConfig;
  clock?: Clock;
  /**
   * Health check of a connection with open streams (client-go's ReadIdleTimeout/PingTimeout): a
   * PING every pingIntervalMs (default 30 s); no answer within pingTimeoutMs (default 15 s) drops
   * the connection, so watches on a dead connection end instead of hanging. 0 disables.
   */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export class Http2Transport implements Transport {
  private session: http2.ClientHttp2Session | undefined;
  private tls: TlsConfig;
  /** Sessions closed by updateTls that still finish their streams. */
  private readonly draining = new Set<http2.ClientHttp2Session>();
  private readonly origin: string;
  private readonly pathPrefix: string;
  private active = 0;
  private closed = false;
  private readonly clock: Clock;
  private pingTimer: Timer | undefined;
  /** Sessions opened so far (for diagnostics and tests). */
  sessionsOpened = 0;

  constructor(private readonly options: Http2TransportOptions) {
    const url = new URL(options.server);
    if (url.protocol !== 'https:') throw new Error(`unsupported server URL ${options.server}: only https is supported`);
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.clock = options.clock ?? realClock;
    this.tls = options.tls ?? {};
  }

  /**
   * Swaps the TLS credentials (a rotated client certificate): the next request opens a session
   * with them; the current session takes no new streams (GOAWAY) and closes once its open ones end.
   */
  updateTls(tls: TlsConfig): void {
    this.tls = tls;
    const old = this.session;
    this.session = undefined;
    if (old && !old.closed && !old.destroyed) {
      this.draining.add(old);
      old.close(() => this.draining.delete(old));
    }
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) return Promise.reject(new ConnectionError('transport is closed', { notProcessed: true, code: 'ERR_CLOSED' }));
    if (req.signal?.aborted) return Promise.reject(abortError(req.signal));
    return new Promise((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      let stream: http2.ClientHttp2Stream;
      try {
        session = this.currentSession();
        stream = session.request(
          { ':method': req.method, ':path': this.pathPrefix + req.path, ...req.headers },
          { endStream: req.body === undefined },
        );
      } catch (err) {
        return reject(new ConnectionError(`cannot send request: ${(err as Error).message}`, { notProcessed: true, cause: err }));
      }
      this.active++;
      session.ref();
      this.startPings();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.active--;
        if (this.active === 0) {
          if (!session.destroyed) session.unref();
          this.pingTimer?.cancel();
          this.pingTimer = undefined;
        }
        req.signal?.removeEventListener('abort', onAbort);
      };
      let responded = false;
      const fail = (err: Error) => {
        if (responded) return;
        responded = true;
        reject(err);
      };
      const onAbort = () => {
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        fail(abortError(req.signal));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('close', () => {
        release();
        if (!responded) {
          // Closed without a response: REFUSED_STREAM, or a GOAWAY that excluded this stream, means
          // the server did not process it (RFC 9113 §8.7).
          const refused = stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM || stream.rstCode === http2.constants.NGHTTP2_NO_ERROR;
          fail(new ConnectionError(`stream closed before a response (code ${stream.rstCode})`, { notProcessed: refused, code: 'ERR_HTTP2_STREAM_CLOSED' }));
        }
      });
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (responded) return; // the body reader sees it
        const code = err.code;
        const notProcessed =
          (code !== undefined && CONNECT_CODES.has(code)) ||
          err.message.includes('NGHTTP2_REFUSED_STREAM') ||
          code === 'ERR_HTTP2_GOAWAY_SESSION' ||
          !sessionConnected.get(session);
        fail(new ConnectionError(`${req.method} ${req.path}: ${err.message}`, { notProcessed, code, cause: err }));
      });
      stream.on('response', (headers) => {
        if (responded) return;
        responded = true;
        const status = Number(headers[':status']);
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) out[k] = v as string | string[] | undefined;
        resolve({
          status,
          headers: out,
          body: stream,
          cancel: () => {
            if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
          },
        });
      });
      if (req.body !== undefined) stream.end(req.body);
    });
  }

  close(): void {
    this.closed = true;
    this.pingTimer?.cancel();
    this.pingTimer = undefined;
    const s = this.session;
    this.session = undefined;
    s?.destroy();
    for (const d of this.draining) d.destroy();
    this.draining.clear();
  }

  /** While streams are open, pings the session and drops it if the ping goes unanswered. */
  private startPings(): void {
    const interval = this.options.pingIntervalMs ?? 30_000;
    if (interval <= 0 || this.pingTimer) return;
    const timeout = this.options.pingTimeoutMs ?? 15_000;
    this.pingTimer = this.clock.setInterval(() => {
      const session = this.session;
      if (!session || session.destroyed || session.closed || session.connecting) return;
      let answered = false;
      const deadline = this.clock.setTimeout(() => {
        if (answered || session.destroyed) return;
        if (this.session === session) this.session = undefined;
        session.destroy(new Error(`no answer to an HTTP/2 PING within ${timeout} ms`));
      }, timeout);
      try {
        session.ping(() => {
          answered = true;
          deadline.cancel();
        });
      } catch {
        deadline.cancel();
      }
    }, interval);
  }

  private currentSession(): http2.ClientHttp2Session {
    const s = this.session;
    if (s && !s.closed && !s.destroyed) return s;
    const tls = this.tls;
    const session = http2.connect(this.origin, {
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls.key !== undefined ? { key: tls.key } : {}),
      ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
      rejectUnauthorized: !tls.insecure,
      // watches of large collections buffer a lot; Node's default (10 MB) would reset streams
      maxSessionMemory: 256,
    });
    this.sessionsOpened++;
    sessionConnected.set(session, false);
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('connect', () => sessionConnected.set(session, true));
    session.on('error', forget);
    session.on('close', forget);
    // After GOAWAY the session finishes its open streams but takes no new ones.
    session.on('goaway', forget);
    session.unref();
    this.session = session;
    return session;
  }
}

const sessionConnected = new WeakMap<http2.ClientHttp2Session, boolean>();
