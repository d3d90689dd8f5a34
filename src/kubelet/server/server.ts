// The kubelet API: an HTTPS server (default port 10250) that only answers clients presenting a
// certificate from the cluster CA that names the API server's kubelet client, an admin or this
// node (auth.ts). Plain endpoints in http-handlers.ts, WebSocket ones in stream-handlers.ts.

import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { authorizeSocket, type AuthDecision } from './auth.js';
import type { KubeletHost } from './host.js';
import { HttpError, notFound, serveContainerLogs, servePods, serveResourceMetrics, serveSummary, statusBody, writeStatus } from './http-handlers.js';
import { refuseUpgrade, serveStream, type StreamKind } from './stream-handlers.js';

export const DEFAULT_KUBELET_PORT = 10250;

export interface KubeletServerTls {
  /** The node's serving certificate and key. */
  certPem: string;
  keyPem: string;
  /** The cluster CA: client certificates must be signed by it. */
  clientCaPem: string;
}

export interface KubeletServerOptions {
  host: KubeletHost;
  tls: KubeletServerTls;
  /** Address to bind; default 0.0.0.0. */
  address?: string;
  /** --kubelet-port; 0 picks a free one. Default 10250. */
  port?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface KubeletServer {
  readonly port: number;
  readonly address: string;
  /** Serves a new certificate (a rotated one) on new connections; open ones keep theirs. */
  setServingCertificate(certPem: string, keyPem: string): void;
  close(): Promise<void>;
}

const STREAM_ROUTES: Record<string, StreamKind> = { exec: 'exec', attach: 'attach', portForward: 'portForward' };

function parseTarget(target: string | undefined): { parts: string[]; query: URLSearchParams } {
  const url = new URL(target ?? '/', 'https://kubelet.invalid');
  const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { parts, query: url.searchParams };
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const { host } = options;
  const clock = options.clock ?? realClock;
  const logger = options.logger ?? silentLogger;
  const sockets = new Set<Socket>();
  const authorize = (req: IncomingMessage): AuthDecision => authorizeSocket(req.socket as TLSSocket, host.nodeName, clock.now());

  const context = (certPem: string, keyPem: string) => ({ cert: certPem, key: keyPem, ca: options.tls.clientCaPem, minVersion: 'TLSv1.2' as const });
  const server = createServer({ ...context(options.tls.certPem, options.tls.keyPem), requestCert: true, rejectUnauthorized: false });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (err: Error) => logger.debug('kubelet API TLS handshake failed', { error: err }));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const handle = async () => {
      const decision = authorize(req);
      if (!decision.allowed) throw new HttpError(decision.code, decision.message, decision.code === 401 ? 'Unauthorized' : 'Forbidden');
      const { parts, query } = parseTarget(req.url);
      const [root, ...rest] = parts;
      if (req.method !== 'GET' && req.method !== 'HEAD' && !(root && root in STREAM_ROUTES)) throw new HttpError(405, 'method not allowed', 'MethodNotAllowed');
      if (root === 'healthz' && rest.length === 0) {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
        return void res.end('ok');
      }
      if (root === 'pods' && rest.length === 0) return servePods(host, res);
      if (root === 'containerLogs') return serveContainerLogs(host, clock, req, res, rest, query);
      if (root === 'stats' && rest[0] === 'summary' && rest.length === 1) return serveSummary(host, res);
      if (root === 'metrics' && rest[0] === 'resource' && rest.length === 1) return serveResourceMetrics(host, res);
      if (root && root in STREAM_ROUTES) throw new HttpError(400, 'Upgrade request required', 'BadRequest');
      throw notFound(`the kubelet has no endpoint ${parts.length ? '/' + parts.join('/') : '/'}`);
    };
    handle().catch((err: unknown) => {
      if (!(err instanceof HttpError)) logger.warn('kubelet API request failed', { url: req.url, error: err instanceof Error ? err : String(err) });
      writeStatus(res, err);
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const handle = async () => {
      const decision = authorize(req);
      if (!decision.allowed) throw new HttpError(decision.code, decision.message, decision.code === 401 ? 'Unauthorized' : 'Forbidden');
      const { parts, query } = parseTarget(req.url);
      const [root, ...rest] = parts;
      const kind = root ? STREAM_ROUTES[root] : undefined;
      if (!kind) throw notFound(`the kubelet has no streaming endpoint ${parts.length ? '/' + parts.join('/') : '/'}`);
      await serveStream(host, kind, req, socket, head, rest, query);
    };
    handle().catch((err: unknown) => {
      if (!(err instanceof HttpError)) logger.warn('kubelet API stream failed', { url: req.url, error: err instanceof Error ? err : String(err) });
      const e = err instanceof HttpError ? err : new HttpError(500, (err as Error)?.message ?? String(err), 'InternalError');
      refuseUpgrade(socket, e, statusBody(e.code, e.message, e.reason));
    });
  });

  server.listen(options.port ?? DEFAULT_KUBELET_PORT, options.address ?? '0.0.0.0');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  const address = server.address() as AddressInfo;
  logger.info('kubelet API serving', { address: address.address, port: address.port });
  return {
    port: address.port,
    address: address.address,
    setServingCertificate: (certPem, keyPem) => {
      server.setSecureContext(context(certPem, keyPem));
      logger.info('kubelet API serving a new certificate');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
