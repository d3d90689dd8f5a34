// pods/log: streams the kubelet's /containerLogs response through to the client, status and body
// as the kubelet sends them (a follow stays open until the kubelet ends it, the client goes away
// or the server shuts down).

import type { IncomingMessage } from 'node:http';
import { newServiceUnavailable } from '../../api/status-errors.js';
import type { ApiResponse } from '../endpoints/http.js';
import type { KubeletProxyContext } from './context.js';
import { kubeletRequest } from './kubelet-client.js';
import { podTarget } from './pod-target.js';
import { relayBody } from './relay.js';

export async function servePodLog(ctx: KubeletProxyContext, res: ApiResponse, namespace: string, name: string, query: URLSearchParams): Promise<void> {
  const target = await podTarget(ctx, 'log', namespace, name, query);
  const upstream = kubeletRequest(ctx.kubelet, target.location, { method: 'GET', path: target.path });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', (err) => reject(newServiceUnavailable(`error trying to reach the kubelet: ${err.message}`)));
    upstream.end();
  });
  res.writeHead(response.statusCode ?? 502, { 'content-type': response.headers['content-type'] ?? 'text/plain' });
  await relayBody(response, res, ctx.longRunning);
}
