// The shared core of certificate issuance: builds the subject name, validity window, serial number
// and leaf extensions, and signs a certificate for a public key with a CA's key.

import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import { importSigningKey, type CryptoKey } from './keys.js';
import { x509 } from './x509-lib.js';

/** A certificate authority as PEM: its certificate and its private key. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

/** A certificate and its private key, both PEM. */
export interface KeyAndCertificate {
  certPem: string;
  keyPem: string;
}

export interface ValidityOptions {
  validityDays: number;
  /** Supplies "now" for notBefore/notAfter; the real clock by default. */
  clock?: Clock;
  /** An exact validity window (ms since the epoch), instead of 5 min backdated to now + validityDays. */
  window?: { notBefore: number; notAfter: number };
}

/** Kubernetes' key usage names (certificates.k8s.io KeyUsage) that Kite can encode. */
export type KeyUsage =
  | 'digital signature'
  | 'key encipherment'
  | 'cert sign'
  | 'crl sign'
  | 'content commitment'
  | 'data encipherment'
  | 'key agreement'
  | 'server auth'
  | 'client auth'
  | 'code signing'
  | 'email protection'
  | 'timestamping'
  | 'ocsp signing';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a little in the past so small clock skew between machines does not matter. */
const BACKDATE_MS = 5 * 60 * 1000;

const KEY_USAGE_FLAGS: Partial<Record<KeyUsage, x509.KeyUsageFlags>> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
};

const EXT_KEY_USAGES: Partial<Record<KeyUsage, string>> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
};

/** Subject as Go's pkix.Name orders it: O (groups) first, then CN. */
export function subjectName(commonName: string, organizations: readonly string[] = []): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

/** A positive 128-bit serial number in hex. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export function validity(options: ValidityOptions): { notBefore: Date; notAfter: Date } {
  if (options.window) {
    if (!(options.window.notAfter > options.window.notBefore)) throw new Error('notAfter must be after notBefore');
    return { notBefore: new Date(options.window.notBefore), notAfter: new Date(options.window.notAfter) };
  }
  if (!(options.validityDays > 0)) throw new Error('validityDays must be positive');
  const now = (options.clock ?? realClock).now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + options.validityDays * DAY_MS) };
}

export function sanExtension(dnsNames: readonly string[] = [], ipAddresses: readonly string[] = []): x509.SubjectAlternativeNameExtension | undefined {
  const names: x509.JsonGeneralName[] = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  return names.length ? new x509.SubjectAlternativeNameExtension(names) : undefined;
}

export interface SignOptions extends ValidityOptions {
  subject: x509.JsonName | x509.Name;
  publicKey: CryptoKey | x509.PublicKey;
  usages: readonly KeyUsage[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** Signs a leaf (non-CA) certificate with the CA's key. */
export async function signLeaf(ca: CertificateAuthority, options: SignOptions): Promise<string> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importSigningKey(ca.keyPem);
  let flags = 0;
  const ekus: string[] = [];
  for (const usage of options.usages) {
    const flag = KEY_USAGE_FLAGS[usage];
    const eku = EXT_KEY_USAGES[usage];
    if (flag !== undefined) flags |= flag;
    else if (eku !== undefined) ekus.push(eku);
    else throw new Error(`unsupported key usage ${JSON.stringify(usage)}`);
  }
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (flags) extensions.push(new x509.KeyUsagesExtension(flags, true));
  if (ekus.length) extensions.push(new x509.ExtendedKeyUsageExtension(ekus, false));
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false));
  const san = sanExtension(options.dnsNames, options.ipAddresses);
  if (san) extensions.push(san);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: caCert.subjectName,
    publicKey: options.publicKey,
    signingKey: caKey.privateKey,
    signingAlgorithm: caKey.signingAlgorithm,
    extensions,
    ...validity(options),
  });
  return cert.toString('pem') + '\n';
}
