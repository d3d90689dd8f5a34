// The httpGet action of probes and lifecycle hooks: GET scheme://host:port/path (HTTPS without
// certificate verification, host defaulting to the pod IP, the action's headers, a kube-probe
// User-Agent), following redirects on the same host (at most 10) as Go's client with the
// kubelet's CheckRedirect does. Errors carry Go's wording (`Get "url": dial tcp …`).

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HTTPGetAction } from 'kubernetes-types/core/v1.js';
import { dialErrorMessage } from './tcp-action.js';
import { joinHostPort, resolvePort } from './port.js';
import { MAX_OUTPUT_BYTES, type ProbeTarget } from './types.js';

export const KUBE_VERSION = '1.32';

export interface HttpResponse {
  statusCode: number;
  body: string;
  url: string;
  /** Set when a redirect to another host was not followed (the kubelet's probe Warning). */
  redirectNotFollowed?: boolean;
}

export class HttpActionError extends Error {}

/** The URL an action targets (for messages and the request). */
export function actionUrl(action: HTTPGetAction, target: ProbeTarget): URL {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const host = action.host || target.podIP;
  const port = resolvePort(action.port, target.container);
  let path = action.path ?? '';
  if (path && !path.startsWith('/')) path = `/${path}`;
  return new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
}

function headersFor(action: HTTPGetAction, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let hasUA = false;
  let hasAccept = false;
  for (const h of action.httpHeaders ?? []) {
    const lower = h.name.toLowerCase();
    if (lower === 'user-agent') hasUA = true;
    if (lower === 'accept') hasAccept = true;
    headers[h.name] = h.value;
  }
  if (!hasUA) headers['User-Agent'] = userAgent;
  if (!hasAccept) headers.Accept = '*/*';
  return headers;
}

function once(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_OUTPUT_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES) }));
      res.on('error', reject);
    });
    // The socket's idle timeout bounds the request (no timer of our own).
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'KITE_CLIENT_TIMEOUT' })));
    req.on('error', (err) => {
      const code = (err as { code?: string }).code;
      const where = `Get ${JSON.stringify(url.href)}`;
      if (code === 'KITE_CLIENT_TIMEOUT') reject(new HttpActionError(`${where}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
      else if (code && ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) reject(new HttpActionError(`${where}: ${dialErrorMessage(url.host, err)}`));
      else reject(new HttpActionError(`${where}: ${err.message}`));
    });
    req.end();
  });
}

/** Performs the GET; rejects with HttpActionError on transport errors (never on a status code). */
export async function httpGet(action: HTTPGetAction, target: ProbeTarget, timeoutMs: number, userAgent: string): Promise<HttpResponse> {
  let url = actionUrl(action, target);
  const first = url;
  const headers = headersFor(action, userAgent);
  for (let redirects = 0; ; redirects++) {
    const { res, body } = await once(url, headers, timeoutMs);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location && status !== 304) {
      const next = new URL(location, url);
      if (next.hostname !== first.hostname) return { statusCode: status, body: body.toString('utf8'), url: url.href, redirectNotFollowed: true };
      if (redirects >= 10) throw new HttpActionError(`Get ${JSON.stringify(next.href)}: stopped after 10 redirects`);
      url = next;
      continue;
    }
    return { statusCode: status, body: body.toString('utf8'), url: url.href };
  }
}
