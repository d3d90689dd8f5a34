// The small plain-HTTP server a component (scheduler, controller manager) runs beside its work when
// given a port: GET /healthz, /livez, /readyz ("ok" while healthy) and GET /metrics (Prometheus
// text from whatever registry the component keeps).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export interface HealthServerOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  healthy?: () => boolean;
  metrics: MetricsSource;
}

export interface HealthServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

export async function serveHealthAndMetrics(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      const ok = options.healthy ? options.healthy() : true;
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8' }).end(ok ? 'ok' : 'unhealthy');
      return;
    }
    if (path === '/metrics') {
      options.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
