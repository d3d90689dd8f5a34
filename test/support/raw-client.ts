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
  /** No complete response within this long is a timeout (streaming responses: see streamMs). */
  timeoutMs: number;
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
        clearTimeout(timer);
        clearTimeout(streamTimer);
        result.body = Buffer.concat(chunks);
        // Only a request given up on is reset; a finished one closes by itself (resetting every
        // stream would look like a rapid-reset attack to the server).
        if ((result.timedOut || result.cancelled) && !stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
        resolve(result);
      };
      const timer = setTimeout(() => {
        result.timedOut = true;
        finish();
      }, req.timeoutMs);
      let streamTimer: NodeJS.Timeout | undefined;
      stream.on('response', (headers) => {
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
        stream.end(req.body);
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
        clearTimeout(timer);
        clearTimeout(streamTimer);
        result.body = Buffer.concat(chunks);
        resolve(result);
      };
      const timer = setTimeout(() => {
        result.timedOut = true;
        request?.destroy();
        finish();
      }, req.timeoutMs);
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
        clearTimeout(timer);
        result.unsendable = (err as Error).message;
        settled = true;
        return resolve(result);
      }
      const r = request;
      r.on('response', (res) => {
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
        r.end(req.body);
      } catch (err) {
        result.unsendable = (err as Error).message;
        finish();
      }
    });
  }
}
