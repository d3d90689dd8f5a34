// Certificate signing requests (PKCS#10): reading one's subject and SANs, and signing it with the
// cluster CA for the given usages. Creating one (certificate-request.ts) needs no X.509 library.

import { signLeaf, type CertificateAuthority, type KeyUsage, type ValidityOptions } from './sign.js';
import { x509 } from './x509-lib.js';

export { createCertificateRequest, type CertificateRequestOptions } from './certificate-request.js';

export interface ParsedCertificateRequest {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
}

export interface SignRequestOptions extends ValidityOptions {
  usages: readonly KeyUsage[];
}

function decode(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new Error(`invalid certificate request: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function describe(csr: x509.Pkcs10CertificateRequest): ParsedCertificateRequest {
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
  };
}

/** The subject (CN, O) and SANs a CSR asks for. Throws on malformed input. */
export function parseCertificateRequest(csrPem: string): ParsedCertificateRequest {
  return describe(decode(csrPem));
}

/**
 * Signs a CSR with the CA: the certificate gets the CSR's subject, public key and SANs, and the
 * given usages. Throws when the CSR's self-signature does not verify.
 */
export async function signCertificateRequest(
  ca: CertificateAuthority,
  csrPem: string,
  options: SignRequestOptions,
): Promise<string> {
  const csr = decode(csrPem);
  if (!(await csr.verify())) throw new Error('certificate request signature does not verify');
  const parsed = describe(csr);
  return signLeaf(ca, {
    validityDays: options.validityDays,
    clock: options.clock,
    ...(options.window ? { window: options.window } : {}),
    subject: csr.subjectName,
    publicKey: csr.publicKey,
    usages: options.usages,
    dnsNames: parsed.dnsNames,
    ipAddresses: parsed.ipAddresses,
  });
}
