// Certificate rotation while the agent runs (the kubelet's --rotate-certificates and
// --rotate-server-certificates): one certificate manager for the node's client certificate and
// one for the kubelet API's serving certificate. Each renewal is a new CSR for a new key,
// authenticated with the node's current client certificate; the new pair is written atomically
// to <dataDir>/pki (client: also kubelet.kubeconfig, last, so the files on disk always pair up)
// and then handed to the running kubelet (new API connections) or kubelet API (new handshakes).
// A client certificate that has expired for good (expired-certificate-watch.ts) resolves
// `clientCertificateLost`: the agent then exits so that its restart bootstraps again.

import { RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
// files.js and kubeconfig.js, not the pki index: these need no X.509 library.
import { PUBLIC_MODE, SECRET_MODE, writeFileAtomic } from '../../util/pki/files.js';
import { writeKubeconfig } from '../../util/pki/kubeconfig.js';
import type { KeyAndCertificate } from '../../util/pki/index.js';
import { CertificateManager } from './certificate-manager.js';
import { watchExpiredCertificate } from './expired-certificate-watch.js';
import { requestCertificate, type CertificateRequestSpec } from './request-certificate.js';
import { clientCertificateSpec, credentialPaths, servingCertificateSpec } from './tls-bootstrap.js';

export interface CertificateRotationOptions {
  server: string;
  dataDir: string;
  nodeName: string;
  nodeIP: string;
  caPem: string;
  client: KeyAndCertificate;
  serving: KeyAndCertificate;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** The kubelet's API clients take the new client certificate. */
  onClientRotated: (pair: KeyAndCertificate) => void;
  /** The kubelet API serves the new certificate. */
  onServingRotated: (pair: KeyAndCertificate) => void;
  /** How long one CSR may wait for its certificate (default 15 minutes). */
  requestTimeoutMs?: number;
  /** How long an expired client certificate is borne with a responsive server (5 minutes). */
  exitAfterMs?: number;
}

export interface CertificateRotation {
  client: CertificateManager;
  serving: CertificateManager;
  /** Resolves, with the reason, once the client certificate has expired for good. */
  clientCertificateLost: Promise<string>;
  stop(): Promise<void>;
}

export function startCertificateRotation(o: CertificateRotationOptions): CertificateRotation {
  const paths = credentialPaths(o.dataDir);
  const user = `system:node:${o.nodeName}`;
  /** A CSR made as the node, with its current client certificate. */
  const request = async (spec: CertificateRequestSpec, as: KeyAndCertificate): Promise<KeyAndCertificate> => {
    const rest = new RestClient({ server: o.server, tls: { ca: o.caPem, cert: as.certPem, key: as.keyPem } }, { clock: o.clock, logger: o.logger.child('csr-client') });
    try {
      return await requestCertificate(spec, { client: rest, clock: o.clock, ...(o.requestTimeoutMs !== undefined ? { timeoutMs: o.requestTimeoutMs } : {}) });
    } finally {
      rest.close();
    }
  };
  const common = { clock: o.clock, ...(o.random ? { random: o.random } : {}) };
  const client: CertificateManager = new CertificateManager({
    ...common,
    name: 'kubelet-client',
    logger: o.logger.child('client-certificate'),
    current: o.client,
    request: (current) => request(clientCertificateSpec(o.nodeName, 'csr-'), current),
    install: async (pair) => {
      await writeFileAtomic(paths.clientKey, pair.keyPem, SECRET_MODE);
      await writeFileAtomic(paths.clientCert, pair.certPem, PUBLIC_MODE);
      await writeKubeconfig(paths.kubeconfig, { server: o.server, caPem: o.caPem, clientCertPem: pair.certPem, clientKeyPem: pair.keyPem, user, cluster: 'kite', context: 'kite' });
      o.onClientRotated(pair);
    },
  });
  const serving = new CertificateManager({
    ...common,
    name: 'kubelet-serving',
    logger: o.logger.child('serving-certificate'),
    current: o.serving,
    request: () => request(servingCertificateSpec(o.nodeName, o.nodeIP), client.current),
    install: async (pair) => {
      await writeFileAtomic(paths.servingKey, pair.keyPem, SECRET_MODE);
      await writeFileAtomic(paths.servingCert, pair.certPem, PUBLIC_MODE);
      o.onServingRotated(pair);
    },
  });
  client.start();
  serving.start();
  let lost!: (reason: string) => void;
  const clientCertificateLost = new Promise<string>((resolve) => (lost = resolve));
  const expiry = watchExpiredCertificate({
    currentCertificate: () => client.current.certPem,
    serverHealthy: () => client.serverHealthy,
    clock: o.clock,
    logger: o.logger.child('client-certificate'),
    onLost: lost,
    ...(o.exitAfterMs !== undefined ? { exitAfterMs: o.exitAfterMs } : {}),
  });
  return {
    client,
    serving,
    clientCertificateLost,
    stop: async () => {
      expiry.stop();
      await Promise.all([client.stop(), serving.stop()]);
    },
  };
}
