// What a Service holds from the allocators, and which types need what (kube-apiserver's
// needsClusterIP, needsNodePort, shouldAllocateNodePorts, NeedsHealthCheck).

import type { Service } from 'kubernetes-types/core/v1.js';

export type Svc = Service;

export const needsClusterIP = (s: Svc): boolean => (s.spec?.type ?? 'ClusterIP') !== 'ExternalName';

export const isHeadless = (s: Svc): boolean => s.spec?.clusterIPs?.[0] === 'None' || s.spec?.clusterIP === 'None';

export const needsNodePort = (s: Svc): boolean => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';

export const shouldAllocateNodePorts = (s: Svc): boolean =>
  s.spec?.type === 'NodePort' || (s.spec?.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);

export const needsHealthCheck = (s: Svc): boolean => s.spec?.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';

/** The cluster IPs a service holds (none for headless services; "" and "None" are not IPs). */
export function heldIPs(s: Svc | undefined): string[] {
  const spec = s?.spec;
  if (!spec) return [];
  const ips = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return [...new Set(ips.filter((ip) => ip && ip !== 'None'))];
}

/** The node ports a service holds: every port's nodePort and the health check node port. */
export function heldPorts(s: Svc | undefined): number[] {
  const spec = s?.spec;
  if (!spec) return [];
  const ports = new Set<number>();
  for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  if (spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  return [...ports];
}
