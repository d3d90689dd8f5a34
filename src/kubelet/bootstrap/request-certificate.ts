// Getting a certificate the way the kubelet does (k8s.io/client-go/util/certificate/csr): make a
// fresh key and PKCS#10 request, create a CertificateSigningRequest for a signer, and wait until
// the signer has issued the certificate — or the request is denied or failed.

import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { resources, type RestClient } from '../../client/rest/index.js';
import type { Clock } from '../../util/clock.js';
import type { KeyAndCertificate, KeyUsage } from '../../util/pki/index.js';
// Not through the pki index: creating a request needs no X.509 library (~20 MB a node need not load).
import { createCertificateRequest, type CertificateRequestOptions } from '../../util/pki/certificate-request.js';

export interface CertificateRequestSpec extends CertificateRequestOptions {
  signerName: string;
  usages: readonly KeyUsage[];
  /** generateName of the CSR object ("node-csr-" as the kubelet's bootstrap, "csr-" otherwise). */
  generateName: string;
  expirationSeconds?: number;
}

export interface RequestCertificateOptions {
  client: RestClient;
  clock: Clock;
  /** Give up after this long (default 15 minutes, the kubelet's bootstrap wait). */
  timeoutMs?: number;
}

export class CertificateRequestError extends Error {}

/** The issued certificate for `spec`, with the private key made for it. */
export async function requestCertificate(spec: CertificateRequestSpec, options: RequestCertificateOptions): Promise<KeyAndCertificate> {
  const { csrPem, keyPem } = await createCertificateRequest(spec);
  const csrs = options.client.resource<CertificateSigningRequest>(resources.CERTIFICATESIGNINGREQUESTS);
  const created = await csrs.create({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: spec.generateName },
    spec: {
      request: Buffer.from(csrPem, 'utf8').toString('base64'),
      signerName: spec.signerName,
      usages: [...spec.usages],
      ...(spec.expirationSeconds !== undefined ? { expirationSeconds: spec.expirationSeconds } : {}),
    },
  });
  const name = created.metadata!.name!;
  const deadline = options.clock.now() + (options.timeoutMs ?? 15 * 60_000);
  let current = created;
  for (;;) {
    const certificate = issued(current);
    if (certificate) return { certPem: certificate, keyPem };
    const remaining = deadline - options.clock.now();
    if (remaining <= 0) throw new CertificateRequestError(`certificate signing request ${name} was not issued in time`);
    // watch from what we saw; a closed watch (server timeout) goes round again from a fresh read
    const watch = await csrs.watch({ fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata?.resourceVersion ?? '0', timeoutSeconds: Math.max(1, Math.min(60, Math.ceil(remaining / 1000))) });
    const timer = options.clock.setTimeout(() => watch.stop(), remaining);
    try {
      for await (const event of watch) {
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED') continue;
        current = event.object as CertificateSigningRequest;
        if (issued(current)) break;
      }
    } finally {
      timer.cancel();
      watch.stop();
    }
    if (!issued(current)) current = await csrs.get(name);
  }
}

/** The certificate PEM once issued; throws when the request was denied or failed. */
function issued(csr: CertificateSigningRequest): string | undefined {
  for (const c of csr.status?.conditions ?? []) {
    if ((c.type === 'Denied' || c.type === 'Failed') && c.status !== 'False') {
      throw new CertificateRequestError(`certificate signing request ${csr.metadata?.name} is ${c.type.toLowerCase()}: ${c.reason ?? ''} ${c.message ?? ''}`.trim());
    }
  }
  return csr.status?.certificate ? Buffer.from(csr.status.certificate, 'base64').toString('utf8') : undefined;
}
