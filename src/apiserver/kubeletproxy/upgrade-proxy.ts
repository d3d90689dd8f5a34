// Relays an upgrade request (WebSocket exec, attach, port-forward; anything under nodes/proxy) to
// the kubelet and, once the kubelet switches protocols, splices the two connections together byte
// for byte — the API server never parses the frames, as kube-apiserver's upgrade-aware proxy.
// A kubelet that refuses the upgrade has its answer passed back as it is.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LongRunningRegistry } from '../serving/long-running.js';
import { forwardHeaders, kubeletRequest, type KubeletClientConfig } from './kubelet-client.js';
import type { KubeletTarget } from './pod-target.js';

function rawHead(statusLine: string, rawHeaders: string[], extra: string[] = []): string {
  const lines = [statusLine];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  lines.push(...extra);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Writes a complete HTTP/1.1 response on a not-upgraded socket and closes it. */
export function writeSocketResponse(socket: Duplex, code: number, reason: string, body: string, contentType = 'application/json'): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function proxyUpgrade(
  config: KubeletClientConfig,
  target: KubeletTarget,
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  longRunning: LongRunningRegistry,
  onUpstreamError: (err: Error) => void,
): void {
  const upstream = kubeletRequest(config, target.location, {
    method: req.method ?? 'GET',
    path: target.path,
    headers: forwardHeaders(req.headers, true),
  });
  upstream.once('upgrade', (response: IncomingMessage, kubelet: Duplex, upstreamHead: Buffer) => {
    client.write(rawHead(`HTTP/1.1 ${response.statusCode ?? 101} ${response.statusMessage ?? 'Switching Protocols'}`, response.rawHeaders));
    if (upstreamHead.length) client.write(upstreamHead);
    if (head.length) kubelet.write(head);
    const unregister = longRunning.register(() => {
      client.destroy();
      kubelet.destroy();
    });
    const end = () => {
      unregister();
      client.destroy();
      kubelet.destroy();
    };
    kubelet.on('error', end).on('close', end);
    client.on('error', end).on('close', end);
    kubelet.pipe(client);
    client.pipe(kubelet);
  });
  upstream.once('response', (response: IncomingMessage) => {
    // The kubelet refused the upgrade: pass its answer on (kubectl reports it, or falls back).
    const chunks: Buffer[] = [];
    response.on('data', (c: Buffer) => chunks.push(c));
    response.once('end', () => {
      const body = Buffer.concat(chunks);
      const headers = response.rawHeaders.filter((_, i, all) => {
        const name = (i % 2 === 0 ? all[i] : all[i - 1])!.toLowerCase();
        return name !== 'content-length' && name !== 'connection' && name !== 'transfer-encoding';
      });
      if (!client.writable) return void client.destroy();
      client.write(rawHead(`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`, headers, [`Content-Length: ${body.length}`, 'Connection: close']));
      client.end(body);
    });
  });
  upstream.once('error', onUpstreamError);
  req.pipe(upstream);
}
