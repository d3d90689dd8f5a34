// RestConfig from inside a pod (rest.InClusterConfig): the API server at
// KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, trusted through the mounted ca.crt, with the
// mounted service-account token (re-read as it rotates) and the pod's namespace.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RestConfig } from './config.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export class NotInClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotInClusterError';
  }
}

export interface InClusterOptions {
  /** Where the service-account token, ca.crt and namespace are mounted (tests point elsewhere). */
  serviceAccountDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function inClusterConfig(options: InClusterOptions = {}): RestConfig {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new NotInClusterError('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  }
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) throw new NotInClusterError(`unable to load in-cluster configuration: no token at ${tokenFile}`);
  const caFile = join(dir, 'ca.crt');
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : '';
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tls: existsSync(caFile) ? { ca: readFileSync(caFile) } : {},
    tokenFile,
    namespace: namespace || 'default',
  };
}
