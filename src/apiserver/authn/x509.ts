// Client-certificate authentication, as Kubernetes' x509 authenticator does it: the certificate
// must have been verified by TLS against the client CA (socket.authorized), allow clientAuth and
// be within its validity; then CN is the user name and O the groups. The result is cached per
// connection (an HTTP/2 session carries many requests), with the expiry rechecked every time.

import type { Http2ServerRequest } from 'node:http2';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import { realClock, type Clock } from '../../util/clock.js';
import type { ServerRequest } from '../serving/types.js';
import type { Authenticator, UserInfo } from './types.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export interface CertificateIdentity {
  user: UserInfo;
  notBefore: number;
  notAfter: number;
}

export interface X509AuthenticatorOptions {
  clock?: Clock;
}

/** The connection a request arrived on: the HTTP/2 session, or the HTTP/1.1 socket. */
function connectionOf(req: ServerRequest): object {
  return (req as Http2ServerRequest).stream?.session ?? req.socket;
}

function tlsSocketOf(req: ServerRequest): Partial<TLSSocket> {
  const session = (req as Http2ServerRequest).stream?.session;
  return (session?.socket ?? req.socket) as Partial<TLSSocket>;
}

function lastValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function allValues(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
}

/** Reads the user from a verified peer certificate; undefined when it is not usable. */
export function identityFromCertificate(cert: PeerCertificate | DetailedPeerCertificate): CertificateIdentity | undefined {
  if (!cert || !cert.subject) return undefined;
  const usages = (cert as PeerCertificate & { ext_key_usage?: string[] }).ext_key_usage;
  if (usages && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) return undefined;
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const name = lastValue(subject.CN);
  if (!name) return undefined;
  return {
    user: { name, groups: allValues(subject.O) },
    notBefore: Date.parse(cert.valid_from),
    notAfter: Date.parse(cert.valid_to),
  };
}

export function createX509Authenticator(options: X509AuthenticatorOptions = {}): Authenticator {
  const clock = options.clock ?? realClock;
  const cache = new WeakMap<object, CertificateIdentity | null>();
  return {
    authenticate(req) {
      const connection = connectionOf(req);
      let identity = cache.get(connection);
      if (identity === undefined) {
        const socket = tlsSocketOf(req);
        identity =
          socket.authorized === true && typeof socket.getPeerCertificate === 'function'
            ? (identityFromCertificate(socket.getPeerCertificate()) ?? null)
            : null;
        cache.set(connection, identity);
      }
      if (identity === null) return undefined;
      const now = clock.now();
      if (now < identity.notBefore || now > identity.notAfter) return undefined;
      return identity.user;
    },
  };
}
