// What Endpoints and EndpointSlices are made of, shared by both controllers (Kubernetes'
// endpointutil): which pods of a Service's selector back it, whether each is ready, and the
// target port a service port resolves to on a pod (a number, or a named container port).

import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';

/** ShouldPodBeInEndpoints: not terminal, has an IP, and (unless includeTerminating) not being deleted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** The pod's Ready condition is True. */
export function podReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** FindPort: the container port a service port's targetPort names on this pod; undefined if none. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** The pod is one the service's selector picks (a service without a selector picks none). */
export function selectsPod(service: Service, pod: Pod): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if ((pod.metadata?.namespace ?? 'default') !== (service.metadata?.namespace ?? 'default')) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The hostname a pod gets in its service's DNS (spec.hostname when spec.subdomain is the service). */
export function endpointHostname(pod: Pod, service: Service): string | undefined {
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && (pod.metadata?.namespace ?? 'default') === (service.metadata?.namespace ?? 'default')) {
    return pod.spec.hostname;
  }
  return undefined;
}

/** Labels Kubernetes copies from a Service to its endpoints, plus the headless marker. */
export function endpointLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  else delete labels['service.kubernetes.io/headless'];
  return labels;
}
