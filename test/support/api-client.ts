// A small HTTPS client for tests that talk to a running kite server directly (not through
// kubectl): the admin client certificate from DIR/pki, HTTP/1.1 with keep-alive.

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export interface ApiClient {
  request(method: string, path: string, options?: { body?: string | Buffer; headers?: Record<string, string>; anonymous?: boolean }): Promise<ApiResponse>;
  /** Opens a streaming GET; resolves with the status and a line iterator. */
  stream(path: string): Promise<{ status: number; lines: AsyncIterableIterator<string>; close(): void }>;
  close(): void;
}

export function apiClient(baseUrl: string, dataDir: string): ApiClient {
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'));
  const cert = readFileSync(join(dataDir, 'pki', 'admin.crt'));
  const key = readFileSync(join(dataDir, 'pki', 'admin.key'));
  const agent = new Agent({ ca, cert, key, keepAlive: true });
  const anonymousAgent = new Agent({ ca, keepAlive: false });
  const url = (path: string) => new URL(path, baseUrl);
  return {
    request(method, path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = request(url(path), { method, agent: options.anonymous ? anonymousAgent : agent, headers: options.headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(options.body);
      });
    },
    stream(path) {
      return new Promise((resolve, reject) => {
        const req = request(url(path), { method: 'GET', agent: new Agent({ ca, cert, key }) }, (res) => {
          res.setEncoding('utf8');
          async function* lines(): AsyncIterableIterator<string> {
            let buffer = '';
            for await (const chunk of res as AsyncIterable<string>) {
              buffer += chunk;
              let i: number;
              while ((i = buffer.indexOf('\n')) >= 0) {
                yield buffer.slice(0, i);
                buffer = buffer.slice(i + 1);
              }
            }
          }
          resolve({ status: res.statusCode ?? 0, lines: lines(), close: () => req.destroy() });
        });
        req.on('error', reject);
        req.end();
      });
    },
    close() {
      agent.destroy();
      anonymousAgent.destroy();
    },
  };
}
