// Tracks a server's connections for graceful shutdown: raw sockets (to destroy at the deadline),
// HTTP/2 sessions (closed with GOAWAY, which lets open streams finish) and HTTP/1.1 sockets with
// their number of active requests (idle ones are closed at once, busy ones after their response).

import type { ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ServerResponse } from './types.js';

const ACTIVE = Symbol('kite.activeRequests');

type Http1Socket = Socket & { [ACTIVE]?: number };

export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly http1 = new Set<Http1Socket>();
  private draining = false;

  /** Every accepted TCP connection ('connection' event). */
  addSocket(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Every TLS connection once its handshake is done ('secureConnection' event). */
  addSecureSocket(socket: TLSSocket): void {
    if (socket.alpnProtocol === 'h2') return; // its session is tracked instead
    const s = socket as Http1Socket;
    if (this.draining) {
      s.end();
      return;
    }
    this.http1.add(s);
    s.once('close', () => this.http1.delete(s));
  }

  /** Every HTTP/2 session ('session' event). */
  addSession(session: ServerHttp2Session): void {
    if (this.draining) {
      session.close();
      return;
    }
    this.sessions.add(session);
    session.once('close', () => this.sessions.delete(session));
  }

  /** Every HTTP/1.x request: counts it active on its socket until the response closes. */
  trackHttp1(socket: Socket, res: ServerResponse): void {
    const s = socket as Http1Socket;
    s[ACTIVE] = (s[ACTIVE] ?? 0) + 1;
    if (this.draining && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      const left = (s[ACTIVE] = (s[ACTIVE] ?? 1) - 1);
      if (left === 0 && this.draining) s.end();
    });
  }

  /** Starts draining: GOAWAY to every HTTP/2 session, close idle HTTP/1.1 connections. */
  drain(): void {
    this.draining = true;
    for (const session of this.sessions) session.close();
    for (const socket of this.http1) if (!socket[ACTIVE]) socket.end();
  }

  /** Tears down every connection still open. */
  destroyAll(): void {
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
  }

  get openConnections(): number {
    return this.sockets.size;
  }
}
