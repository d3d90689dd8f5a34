// The kubelet API's upgrade endpoints: /exec/<ns>/<pod>/<container>, /attach/<ns>/<pod>/<container>
// and /portForward/<ns>/<pod>, each a WebSocket speaking the channel protocols of channels.ts —
// and port-forward also as SPDY (portforward.k8s.io), directly (`Upgrade: SPDY/3.1`) or tunneled
// in a WebSocket (SPDY/3.1+portforward.k8s.io), which is what kubectl 1.32 uses.
// Everything that can fail before the upgrade (unknown pod, bad query, no common protocol) is
// answered as a plain HTTP error, which kubectl reports.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { PORT_FORWARD_PROTOCOLS, REMOTE_COMMAND_PROTOCOLS, chooseProtocol } from './channels.js';
import type { KubeletHost } from './host.js';
import { badRequest, notFound, HttpError } from './http-handlers.js';
import { PortsError, parsePorts, servePortForward } from './port-forward.js';
import { parseStreamOptions, serveRemoteCommand } from './remote-command.js';
import { serveSpdyPortForward } from './spdy/port-forward.js';

const PORT_FORWARD_V1 = 'portforward.k8s.io';
/** kubectl's port-forward: SPDY inside a WebSocket. */
const SPDY_TUNNEL = `SPDY/3.1+${PORT_FORWARD_V1}`;

export type StreamKind = 'exec' | 'attach' | 'portForward';

interface WebSockets {
  server: WebSocketServer;
  toStream: (ws: WebSocket) => Duplex;
}
let webSockets: Promise<WebSockets> | undefined;

/** The WebSocket library (~10 MB), loaded on the first exec, attach or port-forward. */
function loadWebSockets(): Promise<WebSockets> {
  return (webSockets ??= import('ws').then((ws) => ({
    server: new ws.WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (protocols) => [...protocols][0] ?? false }),
    toStream: (socket) => ws.createWebSocketStream(socket),
  })));
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, supported: readonly string[]): Promise<{ ws: WebSocket; protocol: string }> {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw badRequest(`unsupported upgrade "${req.headers.upgrade ?? ''}": only WebSocket (${supported.join(', ')}) is served`);
  }
  const protocol = chooseProtocol(offeredProtocols(req), supported);
  if (!protocol) throw badRequest(`none of the offered WebSocket protocols is supported; supported: ${supported.join(', ')}`);
  // Offer ws only the protocol we chose, so its handshake answers with it.
  req.headers['sec-websocket-protocol'] = protocol;
  const { server } = await loadWebSockets();
  return new Promise((resolve) => server.handleUpgrade(req, socket, head, (ws) => resolve({ ws, protocol })));
}

export async function serveStream(host: KubeletHost, kind: StreamKind, req: IncomingMessage, socket: Duplex, head: Buffer, parts: string[], query: URLSearchParams): Promise<void> {
  if (kind === 'portForward') {
    const [namespace, pod] = parts;
    if (!namespace || !pod || parts.length > 3) throw notFound('path must be /portForward/<namespace>/<pod>');
    const sandbox = await host.findPodSandbox(namespace, pod);
    if (!sandbox) throw notFound(`pod "${pod}" in namespace "${namespace}" is not running on this node`);
    const dial = (port: number) => host.runtime.portForward(sandbox, port);
    if ((req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1') {
      const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim());
      if (!versions.includes(PORT_FORWARD_V1)) throw new HttpError(403, `unable to upgrade: no common protocol (want ${PORT_FORWARD_V1})`, 'Forbidden');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_V1}\r\n\r\n`);
      if (head.length) socket.unshift(head);
      serveSpdyPortForward(socket, dial);
      return;
    }
    if (offeredProtocols(req).includes(SPDY_TUNNEL)) {
      const { ws } = await upgrade(req, socket, head, [SPDY_TUNNEL]);
      serveSpdyPortForward((await loadWebSockets()).toStream(ws), dial);
      return;
    }
    let ports: number[];
    try {
      ports = parsePorts(query);
    } catch (err) {
      if (err instanceof PortsError) throw badRequest(err.message);
      throw err;
    }
    const { ws, protocol } = await upgrade(req, socket, head, PORT_FORWARD_PROTOCOLS);
    await servePortForward(ws, protocol, ports, dial);
    return;
  }
  const [namespace, pod, container] = parts;
  if (!namespace || !pod || !container || parts.length !== 3) throw notFound(`path must be /${kind}/<namespace>/<pod>/<container>`);
  const options = parseStreamOptions(query);
  const command = query.getAll('command');
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const location = await host.findContainer(namespace, pod, container);
  if (!location) throw notFound(`container "${container}" in pod "${pod}" is not available`);
  const { ws, protocol } = await upgrade(req, socket, head, REMOTE_COMMAND_PROTOCOLS);
  await serveRemoteCommand(ws, protocol, {
    options,
    command: kind === 'exec' ? command : [],
    start: () => (kind === 'exec' ? host.runtime.exec(location.containerId, command, options) : host.runtime.attach(location.containerId, options)),
  });
}

/** Writes an HTTP error on a socket that was not upgraded. */
export function refuseUpgrade(socket: Duplex, err: unknown, body: string): void {
  const code = err instanceof HttpError ? err.code : 500;
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : code === 400 ? 'Bad Request' : 'Internal Server Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
