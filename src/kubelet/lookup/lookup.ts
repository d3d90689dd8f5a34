// What the kubelet's per-pod building blocks read from the cluster, as one small interface: the
// ConfigMaps and Secrets a pod references, its claims and their volumes, the service-account token
// request. An absent object is `undefined`; any other failure rejects. `rest-lookup.ts` answers it
// through the API (src/client); tests answer it from maps (`staticLookup`).

import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1.js';

export interface ConfigLookup {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339. */
  expirationTimestamp: string;
}

/** Thrown by requestServiceAccountToken when the API server does not serve serviceaccounts/token. */
export class TokenRequestUnsupportedError extends Error {
  constructor(message = 'the API server does not serve serviceaccounts/token') {
    super(message);
    this.name = 'TokenRequestUnsupportedError';
  }
}

export interface ClusterLookup extends ConfigLookup {
  getPersistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined>;
  /** POST serviceaccounts/<name>/token; rejects with TokenRequestUnsupportedError when not served. */
  requestServiceAccountToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
}

export interface StaticObjects {
  configMaps?: ConfigMap[];
  secrets?: Secret[];
  claims?: PersistentVolumeClaim[];
  volumes?: PersistentVolume[];
  issueToken?: (namespace: string, serviceAccount: string, spec: TokenRequestSpec) => IssuedToken;
}

const key = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** A lookup over fixed objects (tests, static pods); the lists may be changed between calls. */
export function staticLookup(objects: StaticObjects): ClusterLookup {
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(list: T[] | undefined, ns: string | undefined, name: string) =>
    structuredClone((list ?? []).find((o) => key(o.metadata?.namespace, o.metadata?.name) === key(ns, name)));
  return {
    getConfigMap: async (ns, name) => find(objects.configMaps, ns, name),
    getSecret: async (ns, name) => find(objects.secrets, ns, name),
    getPersistentVolumeClaim: async (ns, name) => find(objects.claims, ns, name),
    getPersistentVolume: async (name) => find(objects.volumes, undefined, name),
    requestServiceAccountToken: async (ns, sa, spec) => {
      if (!objects.issueToken) throw new TokenRequestUnsupportedError();
      return objects.issueToken(ns, sa, spec);
    },
  };
}
