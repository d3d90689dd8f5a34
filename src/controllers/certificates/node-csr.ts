// What the CSR approver and signer know about a CertificateSigningRequest: its decoded request
// (subject and SANs), its approval state, and the checks each built-in signer makes
// (pkg/apis/certificates ValidateKubeletClientCSR / ValidateKubeletServingCSR, the
// kube-apiserver-client signer's usages).

import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { parseCertificateRequest, type KeyUsage, type ParsedCertificateRequest } from '../../util/pki/index.js';

export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';

const CLIENT_USAGES = new Set(['digital signature', 'key encipherment', 'client auth']);
const SERVING_USAGES = new Set(['digital signature', 'key encipherment', 'server auth']);

export function conditionOf(csr: CertificateSigningRequest, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status !== 'False');
}

/** The decoded PKCS#10 request, or undefined when it does not parse. */
export function decodeRequest(csr: CertificateSigningRequest): ParsedCertificateRequest | undefined {
  try {
    return parseCertificateRequest(Buffer.from(csr.spec?.request ?? '', 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

const usagesWithin = (usages: readonly string[], allowed: Set<string>, required: string): boolean =>
  usages.includes(required) && usages.every((u) => allowed.has(u));

const isNodeSubject = (req: ParsedCertificateRequest): boolean =>
  req.commonName.startsWith(NODE_USER_PREFIX) &&
  req.commonName.length > NODE_USER_PREFIX.length &&
  req.organizations.length === 1 &&
  req.organizations[0] === NODES_GROUP;

/** Why the request is not a kubelet client certificate request, or undefined when it is one. */
export function kubeletClientProblem(req: ParsedCertificateRequest, usages: readonly string[]): string | undefined {
  if (!isNodeSubject(req)) return 'subject must be CN=system:node:<name>, O=system:nodes';
  if (req.dnsNames.length || req.ipAddresses.length) return 'DNS and IP subjectAltNames are not allowed';
  if (!usagesWithin(usages, CLIENT_USAGES, 'client auth')) return 'usages must include "client auth" and only "digital signature", "key encipherment" besides';
  return undefined;
}

/** Why the request is not a kubelet serving certificate request, or undefined when it is one. */
export function kubeletServingProblem(req: ParsedCertificateRequest, usages: readonly string[]): string | undefined {
  if (!isNodeSubject(req)) return 'subject must be CN=system:node:<name>, O=system:nodes';
  if (!req.dnsNames.length && !req.ipAddresses.length) return 'at least one DNS or IP subjectAltName is required';
  if (!usagesWithin(usages, SERVING_USAGES, 'server auth')) return 'usages must include "server auth" and only "digital signature", "key encipherment" besides';
  return undefined;
}

/** The signer's validation of a request it is asked to sign: undefined when it may sign it. */
export function signerProblem(signerName: string, req: ParsedCertificateRequest, usages: readonly string[]): string | undefined {
  switch (signerName) {
    case KUBELET_CLIENT_SIGNER:
      return kubeletClientProblem(req, usages);
    case KUBELET_SERVING_SIGNER:
      return kubeletServingProblem(req, usages);
    case APISERVER_CLIENT_SIGNER:
      return usagesWithin(usages, CLIENT_USAGES, 'client auth') ? undefined : 'usages must include "client auth" and only "digital signature", "key encipherment" besides';
    default:
      return `unknown signer ${signerName}`;
  }
}

export const SIGNERS: ReadonlySet<string> = new Set([KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, APISERVER_CLIENT_SIGNER]);

export const asKeyUsages = (usages: readonly string[]): KeyUsage[] => usages as KeyUsage[];
