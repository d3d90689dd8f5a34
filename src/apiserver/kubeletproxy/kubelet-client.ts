// How the API server reaches a node's kubelet: the address from the Node's status (InternalIP,
// else ExternalIP, else Hostname) and port (status.daemonEndpoints.kubeletEndpoint.Port, default
// 10250), over HTTPS with the API server's kubelet client certificate.

import type { Node } from 'kubernetes-types/core/v1.js';
import { request, type RequestOptions } from 'node:https';
import type { ClientRequest } from 'node:http';
import { newBadRequest } from '../../api/status-errors.js';

/** The API server's credentials towards kubelets. */
export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
  /** CA that kubelets' serving certificates are verified against; unverified when absent. */
  caPem?: string;
}

export interface KubeletLocation {
  host: string;
  port: number;
}

const ADDRESS_PREFERENCE = ['InternalIP', 'ExternalIP', 'Hostname'];
export const DEFAULT_KUBELET_PORT = 10250;

export function kubeletLocation(node: Node): KubeletLocation {
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of ADDRESS_PREFERENCE) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) throw newBadRequest(`node "${node.metadata?.name ?? ''}" has no address to reach its kubelet at`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return { host, port: port && port > 0 ? port : DEFAULT_KUBELET_PORT };
}

/** Starts a request to the kubelet (the caller writes the body or ends it). */
export function kubeletRequest(config: KubeletClientConfig, location: KubeletLocation, options: Pick<RequestOptions, 'method' | 'path' | 'headers' | 'timeout'>): ClientRequest {
  return request({
    host: location.host,
    port: location.port,
    ...options,
    cert: config.certPem,
    key: config.keyPem,
    ...(config.caPem ? { ca: config.caPem, rejectUnauthorized: true } : { rejectUnauthorized: false }),
    agent: false,
    // The kubelet's certificate names the node, not necessarily the address we dial.
    checkServerIdentity: () => undefined,
  });
}

/** Request headers worth passing to the kubelet: none of the client's credentials or hop-by-hop ones. */
export function forwardHeaders(headers: Record<string, string | string[] | undefined>, keepUpgrade: boolean): Record<string, string | string[]> {
  const drop = new Set(['authorization', 'host', 'proxy-authorization', 'keep-alive', 'te', 'trailer', 'transfer-encoding']);
  if (!keepUpgrade) for (const h of ['connection', 'upgrade']) drop.add(h);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k.startsWith(':') || drop.has(k) || k.startsWith('impersonate-')) continue;
    out[k] = v;
  }
  return out;
}
