// nodes/proxy (/api/v1/nodes/<name>/proxy/<path>): any request passed to the node's kubelet at
// /<path> with its query and body, and the kubelet's response passed back.

import type { IncomingMessage } from 'node:http';
import { newServiceUnavailable } from '../../api/status-errors.js';
import type { ApiRequest, ApiResponse } from '../endpoints/http.js';
import type { KubeletProxyContext } from './context.js';
import { forwardHeaders, kubeletLocation, kubeletRequest } from './kubelet-client.js';
import type { KubeletTarget } from './pod-target.js';
import { relayBody } from './relay.js';

/** The kubelet URL for a nodes/proxy request path (the raw path keeps the client's escaping). */
export async function nodeProxyTarget(ctx: KubeletProxyContext, name: string, rawPath: string, query: URLSearchParams): Promise<KubeletTarget> {
  const node = await ctx.getNode(name);
  const marker = `/nodes/${encodeURIComponent(name)}/proxy`;
  const at = rawPath.indexOf(marker);
  const rest = at >= 0 ? rawPath.slice(at + marker.length) : '';
  const qs = query.size > 0 ? `?${query}` : '';
  return { location: kubeletLocation(node), path: `${rest.startsWith('/') ? rest : `/${rest}`}${qs}` };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export async function serveNodeProxy(ctx: KubeletProxyContext, req: ApiRequest, res: ApiResponse, name: string, rawPath: string, query: URLSearchParams): Promise<void> {
  const target = await nodeProxyTarget(ctx, name, rawPath, query);
  const upstream = kubeletRequest(ctx.kubelet, target.location, {
    method: req.method ?? 'GET',
    path: target.path,
    headers: forwardHeaders(req.headers as Record<string, string | string[] | undefined>, false),
  });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', (err) => reject(newServiceUnavailable(`error trying to reach the kubelet: ${err.message}`)));
    (req as NodeJS.ReadableStream).pipe(upstream);
  });
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(response.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  res.writeHead(response.statusCode ?? 502, headers);
  await relayBody(response, res, ctx.longRunning);
}
