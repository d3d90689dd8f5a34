// kubeconfig files with everything embedded (certificate-authority-data, client-certificate-data,
// client-key-data or a bearer token) and current-context set, so `kubectl --kubeconfig FILE`
// needs no other setting. Written as YAML with JSON-quoted strings, mode 0600.

import { SECRET_MODE, writeFileAtomic } from './files.js';

interface KubeconfigCommon {
  /** The API server URL, e.g. https://127.0.0.1:6443. */
  server: string;
  /** The CA that signed the server's certificate. */
  caPem: string;
  /** Names inside the file; defaults: cluster "kite", user "admin", context "USER@CLUSTER". */
  cluster?: string;
  user?: string;
  context?: string;
  namespace?: string;
}

export interface CertificateKubeconfigOptions extends KubeconfigCommon {
  clientCertPem: string;
  clientKeyPem: string;
}

export interface TokenKubeconfigOptions extends KubeconfigCommon {
  token: string;
}

export type KubeconfigOptions = CertificateKubeconfigOptions | TokenKubeconfigOptions;

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
const q = (s: string) => JSON.stringify(s);

/** The kubeconfig document as YAML text. */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const cluster = options.cluster ?? 'kite';
  const user = options.user ?? 'admin';
  const context = options.context ?? `${user}@${cluster}`;
  const credentials =
    'token' in options
      ? [`    token: ${q(options.token)}`]
      : [`    client-certificate-data: ${q(b64(options.clientCertPem))}`, `    client-key-data: ${q(b64(options.clientKeyPem))}`];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(cluster)}`,
    '  cluster:',
    `    server: ${q(options.server)}`,
    `    certificate-authority-data: ${q(b64(options.caPem))}`,
    'contexts:',
    `- name: ${q(context)}`,
    '  context:',
    `    cluster: ${q(cluster)}`,
    `    user: ${q(user)}`,
    ...(options.namespace ? [`    namespace: ${q(options.namespace)}`] : []),
    `current-context: ${q(context)}`,
    'preferences: {}',
    'users:',
    `- name: ${q(user)}`,
    '  user:',
    ...credentials,
    '',
  ].join('\n');
}

/** Writes a kubeconfig (client certificate or bearer token) to path with mode 0600. */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await writeFileAtomic(path, renderKubeconfig(options), SECRET_MODE);
}
