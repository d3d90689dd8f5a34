// An HTTP/2 client for benchmarks against a running kite server, authenticated with the admin
// client certificate from the server's data dir.

import { readFileSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import { join } from 'node:path';

export interface H2Response {
  status: number;
  body: string;
}

export class H2Client {
  private readonly session: ClientHttp2Session;

  constructor(url: string, dataDir: string) {
    this.session = connect(url, {
      ca: readFileSync(join(dataDir, 'pki', 'ca.crt')),
      cert: readFileSync(join(dataDir, 'pki', 'admin.crt')),
      key: readFileSync(join(dataDir, 'pki', 'admin.key')),
      settings: { initialWindowSize: 16 * 1024 * 1024 },
    });
    this.session.setMaxListeners(2000);
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<H2Response> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': method,
        ':path': path,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      });
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      stream.on('error', reject);
      stream.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** Opens a watch; calls onLine for each event line until close(). Resolves once headers arrive. */
  watch(path: string, onLine: (line: string) => void): Promise<{ close(): void }> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': 'GET', ':path': path });
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('response', () => resolve({ close: () => stream.close() }));
      stream.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
        }
      });
      stream.on('error', reject);
    });
  }

  close(): void {
    this.session.close();
  }
}
