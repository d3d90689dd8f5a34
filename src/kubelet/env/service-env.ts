// The service environment variables the kubelet injects (getServiceEnvVarMap + envvars.FromServices):
// for the `kubernetes` service of the default namespace always, and for every service of the pod's
// namespace when enableServiceLinks — <NAME>_SERVICE_HOST, <NAME>_SERVICE_PORT(_<PORTNAME>) and the
// Docker-link style <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>(_PROTO|_PORT|_ADDR). Services without a
// cluster IP (headless, ExternalName) give none.

import type { Service } from 'kubernetes-types/core/v1.js';

const MASTER_SERVICES = new Set(['kubernetes']);
const MASTER_NAMESPACE = 'default';

function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The variables for one service, in Kubernetes' order. */
export function serviceEnvVars(svc: Service): Array<[string, string]> {
  const ports = svc.spec?.ports ?? [];
  if (!isServiceIPSet(svc) || ports.length === 0) return [];
  const ip = svc.spec?.clusterIP as string;
  const prefix = envName(svc.metadata?.name ?? '');
  const out: Array<[string, string]> = [];
  out.push([`${prefix}_SERVICE_HOST`, ip]);
  out.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const protocol = p.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${joinHostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** The service variables a pod in `namespace` gets, services sorted by name for a stable order. */
export function serviceEnvMap(services: readonly Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, Service>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? '';
    if (ns === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const out = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) {
    for (const [k, v] of serviceEnvVars(chosen.get(name) as Service)) out.set(k, v);
  }
  return out;
}
