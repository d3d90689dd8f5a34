// The `kubernetes` service in `default`: ClusterIP = the service CIDR's first address, port 443
// (https) → the API server's port. Created at start if missing, its ports brought back in line if
// the API server's port changed (kube-apiserver's master service reconciliation). It goes through
// the services REST store, so the cluster IP is allocated like any other.

import type { KubeObject } from '../../api/object.js';
import type { Service } from 'kubernetes-types/core/v1.js';

/** What this needs of the services REST store (RestStore satisfies it). */
export interface ServiceRegistry {
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  create(namespace: string | undefined, obj: KubeObject): Promise<KubeObject>;
  update(
    namespace: string | undefined,
    name: string,
    produce: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
  ): Promise<{ object: KubeObject }>;
}

export interface KubernetesServiceOptions {
  /** The cluster IP (ServiceAllocation.kubernetesServiceIP). */
  clusterIP: string;
  /** The port the API server listens on (the target port). */
  apiServerPort: number;
  /** The service port; default 443. */
  port?: number;
}

export const KUBERNETES_SERVICE_NAME = 'kubernetes';
export const KUBERNETES_SERVICE_NAMESPACE = 'default';

export async function ensureKubernetesService(services: ServiceRegistry, options: KubernetesServiceOptions): Promise<KubeObject> {
  const port = options.port ?? 443;
  const wantedPorts = [{ name: 'https', port, protocol: 'TCP', targetPort: options.apiServerPort }];
  let existing: Service | undefined;
  try {
    existing = (await services.get(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME)) as Service;
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
  if (!existing) {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: KUBERNETES_SERVICE_NAME, namespace: KUBERNETES_SERVICE_NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: options.clusterIP, ports: wantedPorts, sessionAffinity: 'None' },
    };
    try {
      return await services.create(KUBERNETES_SERVICE_NAMESPACE, svc as KubeObject);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      existing = (await services.get(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME)) as Service;
    }
  }
  const current = existing.spec?.ports ?? [];
  const inLine =
    existing.spec?.type === 'ClusterIP' &&
    current.length === 1 &&
    current[0]?.name === 'https' &&
    current[0].port === port &&
    current[0].protocol === 'TCP' &&
    current[0].targetPort === options.apiServerPort;
  if (inLine) return existing as KubeObject;
  const { object } = await services.update(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME, (cur) => {
    if (!cur) throw Object.assign(new Error('the kubernetes service disappeared'), { code: 404 });
    const svc = structuredClone(cur) as Service;
    svc.spec = { ...svc.spec, type: 'ClusterIP', ports: wantedPorts };
    return svc as KubeObject;
  });
  return object;
}
