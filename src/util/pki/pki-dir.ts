// The cluster's PKI directory: on first start creates the CA, the API server's serving certificate
// the admin client certificate and the API server's client certificate towards kubelets; later starts reuse them, reissuing a certificate only when it
// is missing, no longer matches the CA or its key, is near expiry, or (serving) its SANs changed.

import { X509Certificate as NodeCertificate, createPrivateKey } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from '../clock.js';
import { createCertificateAuthority } from './authority.js';
import { PUBLIC_MODE, SECRET_MODE, readIfExists, writeFileAtomic } from './files.js';
import { issueClientCertificate, issueServingCertificate } from './issue.js';
import { sanExtension, type CertificateAuthority, type KeyAndCertificate } from './sign.js';
import { x509 } from './x509-lib.js';

export interface PkiOptions {
  /** Extra DNS names for the serving certificate (IP literals are moved to ips). */
  hostnames?: readonly string[];
  /** Extra IP addresses for the serving certificate. */
  ips?: readonly string[];
  clock?: Clock;
}

export interface PkiPaths {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export interface Pki {
  dir: string;
  paths: PkiPaths;
  ca: CertificateAuthority;
  serving: KeyAndCertificate;
  admin: KeyAndCertificate;
  /** The API server's client certificate for kubelets (CN kube-apiserver-kubelet-client). */
  kubeletClient: KeyAndCertificate;
  /** What this call (re)generated; empty when everything was reused. */
  generated: Array<'ca' | 'serving' | 'admin' | 'kubelet-client'>;
}

export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;
/** Leaf certificates are reissued when they have fewer than this many days left. */
const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ADMIN_USER = 'kubernetes-admin';
export const ADMIN_GROUP = 'system:masters';
/** The user kubelets know the API server as. */
export const APISERVER_KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

/** The serving certificate's SANs: loopback, this host, the in-cluster service names, and extras. */
export function servingNames(options: PkiOptions): { dnsNames: string[]; ipAddresses: string[] } {
  const dns = new Set(['localhost', hostname().toLowerCase(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const h of options.hostnames ?? []) (isIP(h) ? ips : dns).add(isIP(h) ? h : h.toLowerCase());
  for (const ip of options.ips ?? []) {
    if (!isIP(ip)) throw new Error(`not an IP address: ${ip}`);
    ips.add(ip);
  }
  dns.delete('');
  return { dnsNames: [...dns], ipAddresses: [...ips] };
}

function sanKey(names: x509.JsonGeneralName[]): string {
  return names.map((n) => `${n.type}:${n.value}`).sort().join(',');
}

function certificateSans(certPem: string): string {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  return sanKey(san?.names.toJSON() ?? []);
}

/** True when the pair is usable: parses, key matches, signed by the CA, not near expiry. */
function usable(pair: Partial<KeyAndCertificate>, ca: NodeCertificate, now: number, renewBeforeMs: number): pair is KeyAndCertificate {
  if (!pair.certPem || !pair.keyPem) return false;
  try {
    const cert = new NodeCertificate(pair.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    return Date.parse(cert.validTo) - renewBeforeMs > now && Date.parse(cert.validFrom) <= now + DAY_MS;
  } catch {
    return false;
  }
}

async function readPair(certPath: string, keyPath: string): Promise<Partial<KeyAndCertificate>> {
  return { certPem: await readIfExists(certPath), keyPem: await readIfExists(keyPath) };
}

async function writePair(certPath: string, keyPath: string, pair: KeyAndCertificate): Promise<void> {
  await writeFileAtomic(keyPath, pair.keyPem, SECRET_MODE);
  await writeFileAtomic(certPath, pair.certPem, PUBLIC_MODE);
}

export async function loadOrCreatePki(dir: string, options: PkiOptions = {}): Promise<Pki> {
  const clock = options.clock ?? realClock;
  const now = clock.now();
  const paths: PkiPaths = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    kubeletClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    kubeletClientKey: join(dir, 'apiserver-kubelet-client.key'),
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const generated: Pki['generated'] = [];

  let ca = await readPair(paths.caCert, paths.caKey);
  if (!ca.certPem || !ca.keyPem) {
    // A missing CA half is only repaired when both are gone; one without the other is an error
    // an operator must look at (regenerating would invalidate every issued credential).
    if (ca.certPem || ca.keyPem) throw new Error(`${dir}: found only one of ca.crt and ca.key`);
    ca = await createCertificateAuthority({ commonName: 'kite-ca', validityDays: CA_VALIDITY_DAYS, clock });
    await writePair(paths.caCert, paths.caKey, ca as KeyAndCertificate);
    generated.push('ca');
  }
  const authority: CertificateAuthority = { certPem: ca.certPem!, keyPem: ca.keyPem! };
  const caCert = new NodeCertificate(authority.certPem);
  if (!caCert.checkPrivateKey(createPrivateKey(authority.keyPem))) throw new Error(`${dir}: ca.key does not match ca.crt`);
  const renewMs = RENEW_BEFORE_DAYS * DAY_MS;

  const names = servingNames(options);
  const wantedSans = sanKey(sanExtension(names.dnsNames, names.ipAddresses)!.names.toJSON());
  let serving = await readPair(paths.servingCert, paths.servingKey);
  if (!usable(serving, caCert, now, renewMs) || certificateSans(serving.certPem) !== wantedSans) {
    serving = await issueServingCertificate(authority, { commonName: 'kube-apiserver', ...names, validityDays: LEAF_VALIDITY_DAYS, clock });
    await writePair(paths.servingCert, paths.servingKey, serving as KeyAndCertificate);
    generated.push('serving');
  }

  let admin = await readPair(paths.adminCert, paths.adminKey);
  if (!usable(admin, caCert, now, renewMs)) {
    admin = await issueClientCertificate(authority, { commonName: ADMIN_USER, organizations: [ADMIN_GROUP], validityDays: LEAF_VALIDITY_DAYS, clock });
    await writePair(paths.adminCert, paths.adminKey, admin as KeyAndCertificate);
    generated.push('admin');
  }

  let kubeletClient = await readPair(paths.kubeletClientCert, paths.kubeletClientKey);
  if (!usable(kubeletClient, caCert, now, renewMs)) {
    kubeletClient = await issueClientCertificate(authority, { commonName: APISERVER_KUBELET_CLIENT_USER, validityDays: LEAF_VALIDITY_DAYS, clock });
    await writePair(paths.kubeletClientCert, paths.kubeletClientKey, kubeletClient as KeyAndCertificate);
    generated.push('kubelet-client');
  }

  return {
    dir,
    paths,
    ca: authority,
    serving: serving as KeyAndCertificate,
    admin: admin as KeyAndCertificate,
    kubeletClient: kubeletClient as KeyAndCertificate,
    generated,
  };
}
