// ClusterLookup through the API server (src/client's RestClient): GETs of ConfigMaps, Secrets,
// PersistentVolumeClaims and PersistentVolumes (404 → undefined) and the TokenRequest subresource.
// A 404 on serviceaccounts/<name>/token for an existing service account means the server does not
// serve the subresource (an API server without service-account tokens configured).

import type { TokenRequest, TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../api/status-predicates.js';
import type { KubeObject } from '../../api/object.js';
import type { RestClient, ResourceClient } from '../../client/rest/index.js';
import { TokenRequestUnsupportedError, type ClusterLookup, type IssuedToken } from './lookup.js';

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function core<T extends KubeObject>(client: RestClient, resource: string, kind: string, namespaced = true): ResourceClient<T> {
  return client.resource<T>({ group: '', version: 'v1', resource, kind, namespaced });
}

export function restLookup(client: RestClient): ClusterLookup {
  const configMaps = core<ConfigMap>(client, 'configmaps', 'ConfigMap');
  const secrets = core<Secret>(client, 'secrets', 'Secret');
  const claims = core<PersistentVolumeClaim>(client, 'persistentvolumeclaims', 'PersistentVolumeClaim');
  const volumes = core<PersistentVolume>(client, 'persistentvolumes', 'PersistentVolume', false);
  const serviceAccounts = core<ServiceAccount>(client, 'serviceaccounts', 'ServiceAccount');
  return {
    getConfigMap: (ns, name) => orUndefined(configMaps.namespace(ns).get(name)),
    getSecret: (ns, name) => orUndefined(secrets.namespace(ns).get(name)),
    getPersistentVolumeClaim: (ns, name) => orUndefined(claims.namespace(ns).get(name)),
    getPersistentVolume: (name) => orUndefined(volumes.get(name)),
    async requestServiceAccountToken(ns: string, sa: string, spec: TokenRequestSpec): Promise<IssuedToken> {
      const body: TokenRequest = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: sa, namespace: ns }, spec };
      try {
        const out = await serviceAccounts.namespace(ns).createSubresource<TokenRequest, TokenRequest>(sa, 'token', body);
        return { token: out.status?.token ?? '', expirationTimestamp: out.status?.expirationTimestamp ?? '' };
      } catch (err) {
        // Tell "no such service account" from "no such subresource".
        if (isNotFound(err) && (await orUndefined(serviceAccounts.namespace(ns).get(sa)))) throw new TokenRequestUnsupportedError();
        throw err;
      }
    },
  };
}
