// Who may use the kubelet API: a client certificate verified against the cluster CA (TLS did the
// verification) that allows client auth and names the API server's kubelet client
// (CN kube-apiserver-kubelet-client), a cluster admin (O system:masters) or this node itself
// (CN system:node:<name>). No certificate, or one not signed by the CA, is 401; any other
// verified identity is 403.

import type { PeerCertificate, TLSSocket } from 'node:tls';

export const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';
export const MASTERS_GROUP = 'system:masters';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export type AuthDecision = { allowed: true; user: string } | { allowed: false; code: 401 | 403; message: string };

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function authorizeCertificate(authorized: boolean, cert: PeerCertificate | undefined, nodeName: string, now: number): AuthDecision {
  if (!authorized || !cert?.subject) return { allowed: false, code: 401, message: 'Unauthorized' };
  const usages = (cert as PeerCertificate & { ext_key_usage?: string[] }).ext_key_usage;
  if (usages && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) {
    return { allowed: false, code: 401, message: 'Unauthorized' };
  }
  if (now < Date.parse(cert.valid_from) || now > Date.parse(cert.valid_to)) return { allowed: false, code: 401, message: 'Unauthorized' };
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const cn = values(subject.CN).at(-1) ?? '';
  const groups = values(subject.O);
  if (cn === APISERVER_KUBELET_CLIENT || cn === `system:node:${nodeName}` || groups.includes(MASTERS_GROUP)) {
    return { allowed: true, user: cn };
  }
  return { allowed: false, code: 403, message: `Forbidden (user=${cn}, verb=get, resource=nodes, subresource=proxy)` };
}

export function authorizeSocket(socket: TLSSocket, nodeName: string, now: number): AuthDecision {
  const cert = socket.getPeerCertificate();
  return authorizeCertificate(socket.authorized, cert && Object.keys(cert).length > 0 ? cert : undefined, nodeName, now);
}
