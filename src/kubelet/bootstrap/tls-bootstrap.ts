// The kubelet's TLS bootstrap (--bootstrap-kubeconfig) for `kite agent`: on first start, with a
// bootstrap token and a pinned CA hash (or a CA file), it finds the cluster CA, asks for a client
// certificate (CN=system:node:<name>, O=system:nodes, signer kube-apiserver-client-kubelet) and
// writes <dataDir>/kubelet.kubeconfig; then, as the node, it asks for a serving certificate for
// the kubelet API (signer kubelet-serving, SANs: node IP and name). Later starts reuse what is on
// disk while it is valid for this server, node and CA, and fetch only what is missing or expiring.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
// files.js and kubeconfig.js, not the pki index: these need no X.509 library.
import { PUBLIC_MODE, SECRET_MODE, readIfExists, writeFileAtomic } from '../../util/pki/files.js';
import { writeKubeconfig } from '../../util/pki/kubeconfig.js';
import type { KeyAndCertificate } from '../../util/pki/index.js';
import { discoverCa } from './ca-discovery.js';
import { requestCertificate, type CertificateRequestSpec } from './request-certificate.js';
import { untilReachable } from './until-reachable.js';

export interface TlsBootstrapOptions {
  /** The API server URL. */
  server: string;
  dataDir: string;
  nodeName: string;
  nodeIP: string;
  /** A bootstrap token "<id>.<secret>"; needed only while there is no usable client certificate. */
  token?: string;
  /** Pinned CA hashes ("sha256:…"), or caPem: how the cluster CA is trusted the first time. */
  caCertHashes?: readonly string[];
  caPem?: string;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the server to answer and for each certificate (default 15 minutes). */
  timeoutMs?: number;
}

export interface KubeletCredentials {
  /** <dataDir>/kubelet.kubeconfig: the node's client certificate. */
  kubeconfig: string;
  caPem: string;
  /** The node's client certificate (also in the kubeconfig). */
  client: KeyAndCertificate;
  /** The kubelet API's serving certificate. */
  serving: KeyAndCertificate;
}

const NODES_GROUP = 'system:nodes';

/** The kubelet's client certificate request (signer kube-apiserver-client-kubelet). */
export function clientCertificateSpec(nodeName: string, generateName: string): CertificateRequestSpec {
  return { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', generateName, commonName: `system:node:${nodeName}`, organizations: [NODES_GROUP], usages: ['digital signature', 'client auth'] };
}

/** The kubelet API's serving certificate request (signer kubelet-serving; SANs: node IP and name). */
export function servingCertificateSpec(nodeName: string, nodeIP: string): CertificateRequestSpec {
  return {
    signerName: 'kubernetes.io/kubelet-serving',
    generateName: 'csr-',
    commonName: `system:node:${nodeName}`,
    organizations: [NODES_GROUP],
    ipAddresses: [nodeIP],
    dnsNames: [nodeName],
    usages: ['digital signature', 'server auth'],
  };
}
/** Renew once less than this share of a certificate's lifetime is left (client-go renews at 70–90%). */
const RENEW_FRACTION = 0.2;

export function credentialPaths(dataDir: string) {
  const pki = join(dataDir, 'pki');
  return {
    pki,
    ca: join(pki, 'ca.crt'),
    clientCert: join(pki, 'kubelet-client.crt'),
    clientKey: join(pki, 'kubelet-client.key'),
    servingCert: join(pki, 'kubelet.crt'),
    servingKey: join(pki, 'kubelet.key'),
    kubeconfig: join(dataDir, 'kubelet.kubeconfig'),
  };
}

/** Whether `pair` is issued by `caPem`, names `commonName`, is not near expiry and (serving) covers `ip`. */
function usable(pair: { certPem?: string | undefined; keyPem?: string | undefined }, caPem: string, commonName: string, now: number, ip?: string): pair is KeyAndCertificate {
  if (!pair.certPem || !pair.keyPem) return false;
  try {
    const cert = new X509Certificate(pair.certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.subject.split('\n').includes(`CN=${commonName}`)) return false;
    // a key written without its certificate (a crash mid-rotation) does not make a pair
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    if (now < from || now > to - (to - from) * RENEW_FRACTION) return false;
    return ip === undefined || (cert.subjectAltName ?? '').split(', ').includes(`IP Address:${ip}`);
  } catch {
    return false;
  }
}

export async function bootstrapKubeletCredentials(options: TlsBootstrapOptions): Promise<KubeletCredentials> {
  const paths = credentialPaths(options.dataDir);
  mkdirSync(paths.pki, { recursive: true, mode: 0o700 });
  const log = options.logger;
  const user = `system:node:${options.nodeName}`;
  const now = () => options.clock.now();

  let caPem = options.caPem ?? (await readIfExists(paths.ca));
  let client = { certPem: await readIfExists(paths.clientCert), keyPem: await readIfExists(paths.clientKey) };
  if (!caPem || !usable(client, caPem, user, now())) {
    if (!options.token) throw new Error(`no usable client certificate in ${paths.pki} and no bootstrap token (--token) to get one`);
    if (!options.caPem) {
      if (!options.caCertHashes?.length) throw new Error('joining needs the cluster CA pinned: --ca-cert-hash sha256:… (or --ca-file)');
      const pins = options.caCertHashes;
      caPem = await untilReachable('CA discovery', () => discoverCa(options.server, pins), { clock: options.clock, logger: log, timeoutMs: options.timeoutMs ?? 15 * 60_000 });
      log.info('cluster CA found and matches the pinned hash', { server: options.server });
    }
    const bootstrap = new RestClient({ server: options.server, tls: { ca: caPem! }, token: options.token }, { clock: options.clock, logger: log.child('bootstrap-client') });
    try {
      log.info('requesting a client certificate', { user });
      client = await requestCertificate(clientCertificateSpec(options.nodeName, 'node-csr-'), {
        client: bootstrap,
        clock: options.clock,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    } finally {
      bootstrap.close();
    }
    await writeFileAtomic(paths.ca, caPem!, PUBLIC_MODE);
    await writeFileAtomic(paths.clientKey, client.keyPem!, SECRET_MODE);
    await writeFileAtomic(paths.clientCert, client.certPem!, PUBLIC_MODE);
  }
  const ca = caPem!;
  const clientPair = client as KeyAndCertificate;
  await writeKubeconfig(paths.kubeconfig, { server: options.server, caPem: ca, clientCertPem: clientPair.certPem, clientKeyPem: clientPair.keyPem, user, cluster: 'kite', context: 'kite' });

  let serving = { certPem: await readIfExists(paths.servingCert), keyPem: await readIfExists(paths.servingKey) };
  if (!usable(serving, ca, user, now(), options.nodeIP)) {
    const nodeClient = new RestClient({ server: options.server, tls: { ca, cert: clientPair.certPem, key: clientPair.keyPem } }, { clock: options.clock, logger: log.child('bootstrap-client') });
    try {
      log.info('requesting a serving certificate for the kubelet API', { user, ip: options.nodeIP });
      serving = await requestCertificate(servingCertificateSpec(options.nodeName, options.nodeIP), {
        client: nodeClient,
        clock: options.clock,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    } finally {
      nodeClient.close();
    }
    await writeFileAtomic(paths.servingKey, serving.keyPem!, SECRET_MODE);
    await writeFileAtomic(paths.servingCert, serving.certPem!, PUBLIC_MODE);
  }
  return { kubeconfig: paths.kubeconfig, caPem: ca, client: clientPair, serving: serving as KeyAndCertificate };
}
