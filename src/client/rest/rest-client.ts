// RestClient: requests to the API server over one HTTP/2 connection, with client-side rate
// limiting (token bucket: qps/burst) and retries with exponential backoff — on 429 with the
// server's Retry-After (after it), on 5xx for idempotent verbs (or any verb when the server sent
// Retry-After), and on connection loss (any verb when the request cannot have been processed,
// idempotent verbs otherwise). Error responses become StatusErrors. Clock and randomness are
// injected; `resource()` gives the resource-oriented API (resource-client.ts).

import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../api/object.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { Backoff } from './backoff.js';
import { DEFAULT_BURST, DEFAULT_MAX_RETRIES, DEFAULT_QPS, DEFAULT_USER_AGENT, type RestConfig } from './config.js';
import { errorFromResponse, retryAfterSeconds } from './errors.js';
import { inClusterConfig, type InClusterOptions } from './in-cluster.js';
import { loadKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { rateLimiterFor, type RateLimiter } from './rate-limiter.js';
import { ResourceClient, type ResourceDescriptor } from './resource-client.js';
import { queryString, type RawResponse, type Requester, type RequestOptions } from './request.js';
import { abortError, isAbortError, sleep } from './sleep.js';
import { ConnectionError, Http2Transport, type Transport, type TransportResponse } from './transport.js';

export interface RestClientOptions {
  clock?: Clock;
  /** Randomness for backoff jitter; default Math.random. */
  random?: () => number;
  /** The wire; default an Http2Transport to config.server. */
  transport?: Transport;
  /** Overrides the token bucket built from config.qps/burst. */
  rateLimiter?: RateLimiter;
  /** Backoff between retries; default 100 ms doubling to 10 s. */
  retryBackoff?: { initialMs: number; maxMs: number };
  logger?: Logger;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const TOKEN_FILE_REFRESH_MS = 60_000;

export class RestClient implements Requester {
  readonly config: RestConfig;
  readonly clock: Clock;
  readonly rateLimiter: RateLimiter;
  /** The namespace of the kubeconfig context or the pod ("default" when unset). */
  readonly namespace: string;
  private readonly transport: Transport;
  private readonly random: () => number;
  private readonly retryBackoff: { initialMs: number; maxMs: number };
  private readonly maxRetries: number;
  private readonly logger: Logger;
  private cachedToken: { value: string; readAt: number } | undefined;
  private closed = false;

  constructor(config: RestConfig, options: RestClientOptions = {}) {
    this.config = config;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.transport = options.transport ?? new Http2Transport({ server: config.server, tls: config.tls, clock: this.clock });
    this.rateLimiter = options.rateLimiter ?? rateLimiterFor(config.qps ?? DEFAULT_QPS, config.burst ?? DEFAULT_BURST, this.clock);
    this.retryBackoff = options.retryBackoff ?? { initialMs: 100, maxMs: 10_000 };
    this.maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.logger = options.logger ?? silentLogger;
    this.namespace = config.namespace || 'default';
  }

  /** A client for the current context of a kubeconfig file. */
  static fromKubeconfig(path?: string, options: RestClientOptions & KubeconfigOptions & { overrides?: Partial<RestConfig> } = {}): RestClient {
    return new RestClient({ ...loadKubeconfig(path, options), ...options.overrides }, options);
  }

  /** A client for the API server of the cluster this process runs in as a pod. */
  static inCluster(options: RestClientOptions & InClusterOptions & { overrides?: Partial<RestConfig> } = {}): RestClient {
    return new RestClient({ ...inClusterConfig(options), ...options.overrides }, options);
  }

  /** The resource-oriented API for one resource. */
  resource<T extends KubeObject = KubeObject>(descriptor: ResourceDescriptor): ResourceClient<T> {
    return new ResourceClient<T>(this, descriptor);
  }

  /** Sends a request and decodes the JSON response (undefined for an empty body). */
  async request<T>(options: RequestOptions): Promise<T> {
    const res = await this.requestRaw(options);
    if (res.body.length === 0) return undefined as T;
    return JSON.parse(res.body.toString('utf8')) as T;
  }

  /** Sends a request; resolves with the whole 2xx response, rejects with a StatusError otherwise. */
  async requestRaw(options: RequestOptions): Promise<RawResponse> {
    return (await this.send(options, false)) as RawResponse;
  }

  /** Sends a request and resolves with the streaming 2xx response once its headers are in. */
  async stream(options: RequestOptions): Promise<TransportResponse> {
    return (await this.send(options, true)) as TransportResponse;
  }

  /**
   * Authenticates new connections with another client certificate (the kubelet's rotated one);
   * requests in flight finish on the old connection, which then closes.
   */
  setClientCertificate(cert: string, key: string): void {
    if (!this.transport.updateTls) throw new Error('this transport cannot change its TLS credentials');
    this.transport.updateTls({ ...this.config.tls, cert, key });
  }

  /** Ends every open request and the connection. */
  close(): void {
    this.closed = true;
    this.transport.close();
  }

  private async send(options: RequestOptions, streaming: boolean): Promise<RawResponse | TransportResponse> {
    if (this.closed) throw new ConnectionError('client is closed', { notProcessed: true, code: 'ERR_CLOSED' });
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs ?? 0;
    const deadline = new AbortController();
    const timer = timeoutMs > 0 ? this.clock.setTimeout(() => deadline.abort(timeoutError(timeoutMs)), timeoutMs) : undefined;
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    try {
      return await this.attempts(options, streaming, signal);
    } catch (err) {
      if (isAbortError(err) && deadline.signal.aborted && !options.signal?.aborted) throw deadline.signal.reason as Error;
      throw err;
    } finally {
      timer?.cancel();
    }
  }

  private async attempts(options: RequestOptions, streaming: boolean, signal: AbortSignal): Promise<RawResponse | TransportResponse> {
    const idempotent = IDEMPOTENT.has(options.method);
    const backoff = new Backoff({ ...this.retryBackoff, random: this.random });
    const path = options.path + queryString(options.query);
    const what = options.describe ?? `${options.method.toLowerCase()} ${options.path}`;
    const headers = await this.headers(options);
    const body = encodeBody(options.body);
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.maxRetries;
      await this.rateLimiter.wait(signal);
      let res: TransportResponse;
      try {
        res = await this.transport.request({ method: options.method, path, headers, ...(body ? { body } : {}), signal });
      } catch (err) {
        if (signal.aborted) throw abortError(signal);
        if (err instanceof ConnectionError && canRetry && (err.notProcessed || idempotent) && !this.closed) {
          const delay = backoff.next();
          this.logger.debug('connection failed; retrying', { request: what, error: err.message, delayMs: delay, attempt: attempt + 1 });
          await sleep(this.clock, delay, signal);
          continue;
        }
        throw err;
      }
      const ok = res.status >= 200 && res.status < 300;
      if (ok && streaming) return res;
      let payload: Buffer;
      try {
        payload = await readAll(res, signal);
      } catch (err) {
        if (signal.aborted) throw abortError(signal);
        if (canRetry && idempotent && !this.closed) {
          await sleep(this.clock, backoff.next(), signal);
          continue;
        }
        throw err;
      }
      if (ok) return { status: res.status, headers: res.headers, body: payload };
      const retryAfter = retryAfterSeconds(res.headers);
      // A 429 without Retry-After is an answer, not throttling (e.g. an eviction a disruption
      // budget refuses): surfaced at once, as client-go does.
      const retriable = (res.status === 429 && retryAfter !== undefined) || (res.status >= 500 && res.status !== 501 && (idempotent || retryAfter !== undefined));
      if (retriable && canRetry) {
        const delay = retryAfter !== undefined ? retryAfter * 1000 : backoff.next();
        this.logger.debug('retrying', { request: what, status: res.status, delayMs: delay, attempt: attempt + 1 });
        await sleep(this.clock, delay, signal);
        continue;
      }
      throw errorFromResponse(res.status, res.headers, payload, what);
    }
  }

  private async headers(options: RequestOptions): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      'user-agent': this.config.userAgent ?? DEFAULT_USER_AGENT,
    };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  private token(): string | undefined {
    if (this.config.token) return this.config.token;
    const file = this.config.tokenFile;
    if (!file) return undefined;
    const now = this.clock.now();
    if (!this.cachedToken || now - this.cachedToken.readAt >= TOKEN_FILE_REFRESH_MS) {
      try {
        this.cachedToken = { value: readFileSync(file, 'utf8').trim(), readAt: now };
      } catch (err) {
        // keep the last good token if the file is briefly missing during rotation
        if (!this.cachedToken) throw err;
        this.logger.warn('cannot re-read token file', { file, error: err as Error });
      }
    }
    return this.cachedToken.value;
  }
}

function timeoutError(ms: number): ConnectionError {
  return new ConnectionError(`request did not complete within ${ms} ms`, { notProcessed: false, code: 'ETIMEDOUT' });
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Reads a whole response body. */
function readAll(res: TransportResponse, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const body = res.body;
    const onAbort = () => {
      res.cancel();
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err) reject(new ConnectionError(`reading the response: ${err.message}`, { notProcessed: false, cause: err }));
      else resolve(Buffer.concat(chunks));
    };
    body.on('data', (c: Buffer) => chunks.push(c));
    body.once('end', () => done());
    body.once('error', (err: Error) => done(err));
    body.once('close', () => {
      // closed without 'end': the stream was reset
      if (!body.readableEnded) done(new Error('stream closed before the end of the response'));
    });
  });
}
