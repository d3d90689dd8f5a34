// A raw HTTPS client for tests that send requests no well-behaved client would: any method, any
// path bytes, any headers and bodies, over HTTP/2 (one multiplexed session, re-opened if the
// server drops it) or HTTP/1.1 (keep-alive agent), authenticating with a client certificate.
// Every send resolves (never rejects) with what came back, or with why nothing did.

import * as http2 from 'node:http2';
import * as https from 'node:https';

export interface RawTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface RawRequest {
  transport: 'h2' | 'h1';
  method: string;
  /** Path and query string, sent as given. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /**
   * No progress for this long is a timeout: no part of the body taken by the transport, no
   * response byte. A hang is an exchange that stops moving; how long a moving one takes depends on
   * everything else sharing the connection and the machine (streaming responses: see streamMs).
   */
  timeoutMs: number;
  /** A cap on the whole exchange however it progresses (an answer trickling forever); none if unset. */
  maxMs?: number;
  /** A 2xx response may be an endless stream (a watch): read it this long, then cancel. */
  streamMs?: number;
}

export interface RawResponse {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, up to `maxBodyBytes`. */
  body: Buffer;
  truncated: boolean;
  /** The client could not send it (Node refused the method, path or a header). */
  unsendable?: string;
  /** Transport failure: reset stream, dropped connection… */
  error?: string;
  timedOut: boolean;
  /** A streaming response that was cancelled after `streamMs`. */
  cancelled: boolean;
}

/** The body is written in slices so that the transport's progress through it is visible. */
const BODY_SLICE = 64 * 1024;

interface BodySink {
  write(chunk: Buffer, callback: (err?: Error | null) => void): boolean;
  end(): unknown;
}

/**
 * Writes `body` one slice at a time, each once the transport has taken the one before (several
 * writes at once are batched into one, whose callback comes only at the end), then ends the
 * request; `progress` runs for every slice taken. A write that throws at once is the caller's to
 * catch; a later one ends the writing and goes to `failed`.
 */
function writeBody(sink: BodySink, body: Buffer, progress: () => void, failed: (err: Error) => void): void {
  let at = 0;
  const next = (err?: Error | null): void => {
    if (err) return; // the exchange failed; its own error or timeout reports it
    if (at > 0) progress();
    if (at >= body.length) {
      sink.end();
      return;
    }
    const slice = body.subarray(at, at + BODY_SLICE);
    at += slice.length;
    sink.write(slice, (e) => {
      try {
        next(e);
      } catch (thrown) {
        failed(thrown as Error);
      }
    });
  };
  next();
}

/** The timers of one exchange: an idle timer that progress re-arms, and the optional overall cap. */
function exchangeTimers(req: RawRequest, onTimeout: () => void): { progress: () => void; clear: () => void } {
  const idle = setTimeout(onTimeout, req.timeoutMs);
  const cap = req.maxMs !== undefined ? setTimeout(onTimeout, req.maxMs) : undefined;
  let cleared = false;
  return {
    progress: () => {
      if (!cleared) idle.refresh();
    },
    clear: () => {
      cleared = true;
      clearTimeout(idle);
      clearTimeout(cap);
    },
  };
}

export class RawClient {
  private session: http2.ClientHttp2Session | undefined;
  private readonly agent: https.Agent;
  private readonly maxBodyBytes: number;
  sessionsOpened = 0;
  /** What ended HTTP/2 sessions early (session errors, GOAWAY frames), for diagnostics. */
  readonly sessionEvents: string[] = [];

  constructor(
    private readonly url: string,
    private readonly tls: RawTls,
    options: { sockets?: number; maxBodyBytes?: number } = {},
  ) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: options.sockets ?? 16, ca: tls.ca, cert: tls.cert, key: tls.key });
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  }

  async send(req: RawRequest): Promise<RawResponse> {
    if (req.transport === 'h1') return this.sendH1(req);
    const first = await this.sendH2(req);
    // REFUSED_STREAM, or a stream closed without error by a GOAWAY, was not processed (RFC 9113
    // §8.7, §6.8): clients retry those on a new connection.
    const unprocessed = first.error === undefined ? !first.timedOut : first.error.includes('NGHTTP2_REFUSED_STREAM');
    if (first.status === undefined && unprocessed) return this.sendH2(req);
    return first;
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
    this.agent.destroy();
  }

  private retire(session: http2.ClientHttp2Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.sessionEvents.push('retired a session after an unanswered stream');
    session.close();
  }

  private h2Session(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    // The fuzz sends and receives multi-MiB bodies on many streams at once: Node's default cap on
    // a session's buffered memory (10 MB) would make this client reset streams itself.
    const session = http2.connect(this.url, { ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key, maxSessionMemory: 1024 });
    this.sessionsOpened++;
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', (err: Error) => {
      this.sessionEvents.push(`session error: ${err.message}`);
      forget();
    });
    session.on('close', forget);
    session.on('goaway', (code: number) => {
      this.sessionEvents.push(`GOAWAY code ${code}`);
      forget();
    });
    this.session = session;
    return session;
  }

  private sendH2(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve) => {
      const result: RawResponse = { headers: {}, body: Buffer.alloc(0), truncated: false, timedOut: false, cancelled: false };
      let stream: http2.ClientHttp2Stream;
      let session: http2.ClientHttp2Session;
      try {
        session = this.h2Session();
        stream = session.request(
          { ':method': req.method, ':path': req.path, ...req.headers },
          { endStream: req.body === undefined },
        );
      } catch (err) {
        result.unsendable = (err as Error).message;
        return resolve(result);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        timers.clear();
        clearTimeout(streamTimer);
        result.body = Buffer.concat(chunks);
        // Only a request given up on is reset; a finished one closes by itself (resetting every
        // stream would look like a rapid-reset attack to the server).
        if ((result.timedOut || result.cancelled) && !stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        resolve(result);
      };
      const timers = exchangeTimers(req, () => {
        result.timedOut = true;
        finish();
      });
      let streamTimer: NodeJS.Timeout | undefined;
      stream.on('response', (headers) => {
        timers.progress();
        result.status = Number(headers[':status']);
        result.headers = { ...headers };
        if (req.streamMs !== undefined && result.status < 300) {
          streamTimer = setTimeout(() => {
            result.cancelled = true;
            finish();
          }, req.streamMs);
        }
      });
      stream.on('data', (chunk: Buffer) => {
        timers.progress();
        size += chunk.length;
        if (size <= this.maxBodyBytes) chunks.push(chunk);
        else result.truncated = true;
      });
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', (err: Error) => {
        result.error ??= err.message;
        // a session that resets streams it has not answered is not trusted with the next request
        if (result.status === undefined) this.retire(session);
        finish();
      });
      if (req.body !== undefined) {
        stream.on('error', () => undefined);
        writeBody(stream, req.body, timers.progress, (err) => {
          result.error ??= err.message;
          finish();
        });
      }
    });
  }

  private sendH1(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve) => {
      const result: RawResponse = { headers: {}, body: Buffer.alloc(0), truncated: false, timedOut: false, cancelled: false };
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let request: ReturnType<typeof https.request> | undefined;
      let streamTimer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (settled) return;
        settled = true;
        timers.clear();
        clearTimeout(streamTimer);
        result.body = Buffer.concat(chunks);
        resolve(result);
      };
      const timers = exchangeTimers(req, () => {
        result.timedOut = true;
        request?.destroy();
        finish();
      });
      try {
        const url = new URL(this.url);
        request = https.request({
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: req.headers,
          agent: this.agent,
          ca: this.tls.ca,
          cert: this.tls.cert,
          key: this.tls.key,
        });
      } catch (err) {
        timers.clear();
        result.unsendable = (err as Error).message;
        settled = true;
        return resolve(result);
      }
      const r = request;
      r.on('response', (res) => {
        timers.progress();
        result.status = res.statusCode;
        result.headers = { ...res.headers };
        if (req.streamMs !== undefined && (res.statusCode ?? 0) < 300) {
          streamTimer = setTimeout(() => {
            result.cancelled = true;
            r.destroy();
            finish();
          }, req.streamMs);
        }
        res.on('data', (chunk: Buffer) => {
          timers.progress();
          size += chunk.length;
          if (size <= this.maxBodyBytes) chunks.push(chunk);
          else result.truncated = true;
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', (err: Error) => {
          result.error ??= err.message;
          finish();
        });
      });
      r.on('error', (err: Error) => {
        result.error ??= err.message;
        finish();
      });
      try {
        if (req.body !== undefined) {
          writeBody(r, req.body, timers.progress, (err) => {
            result.error ??= err.message;
            r.destroy();
            finish();
          });
        }
        else r.end();
      } catch (err) {
        result.unsendable = (err as Error).message;
        finish();
      }
    });
  }
}
