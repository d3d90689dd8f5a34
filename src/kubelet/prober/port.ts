// Resolving a probe's or handler's port (a number, a numeric string, or the name of one of the
// container's ports) and host (the action's host, else the pod IP), as the kubelet's prober does.

import type { Container } from 'kubernetes-types/core/v1.js';

export class ProbeSetupError extends Error {}

export function resolvePort(port: number | string | undefined, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (port !== undefined && /^\d+$/.test(port)) n = Number(port);
  else {
    const found = (container.ports ?? []).find((p) => p.name === port);
    if (!found) throw new ProbeSetupError(`port ${port ?? ''} not found`);
    n = found.containerPort;
  }
  if (!Number.isInteger(n) || n <= 0 || n >= 65536) throw new ProbeSetupError(`invalid port number: ${n}`);
  return n;
}

/** host:port with IPv6 literals bracketed (net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
