// Issuing leaf certificates from a CA with a freshly generated key: serving certificates
// (serverAuth, with DNS/IP SANs) and client certificates (clientAuth; CN = user, O = groups,
// which is how Kubernetes' x509 authenticator reads them).

import { generateKeyPair } from './keys.js';
import { signLeaf, subjectName, type CertificateAuthority, type KeyAndCertificate, type ValidityOptions } from './sign.js';

export interface ServingCertificateOptions extends ValidityOptions {
  commonName: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

export interface ClientCertificateOptions extends ValidityOptions {
  /** The user name. */
  commonName: string;
  /** The user's groups. */
  organizations?: readonly string[];
}

export async function issueServingCertificate(
  ca: CertificateAuthority,
  options: ServingCertificateOptions,
): Promise<KeyAndCertificate> {
  const { keys, keyPem } = await generateKeyPair();
  const certPem = await signLeaf(ca, {
    ...options,
    subject: subjectName(options.commonName),
    publicKey: keys.publicKey,
    usages: ['digital signature', 'key encipherment', 'server auth'],
  });
  return { certPem, keyPem };
}

export async function issueClientCertificate(
  ca: CertificateAuthority,
  options: ClientCertificateOptions,
): Promise<KeyAndCertificate> {
  const { keys, keyPem } = await generateKeyPair();
  const certPem = await signLeaf(ca, {
    validityDays: options.validityDays,
    clock: options.clock,
    ...(options.window ? { window: options.window } : {}),
    subject: subjectName(options.commonName, options.organizations),
    publicKey: keys.publicKey,
    usages: ['digital signature', 'key encipherment', 'client auth'],
  });
  return { certPem, keyPem };
}
