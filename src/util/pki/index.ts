// The pki module's public surface: CA creation, certificate issuance, CSRs, the PKI directory
// and kubeconfig files.

export { createCertificateAuthority, type CertificateAuthorityOptions } from './authority.js';
export { issueClientCertificate, issueServingCertificate, type ClientCertificateOptions, type ServingCertificateOptions } from './issue.js';
export {
  createCertificateRequest,
  parseCertificateRequest,
  signCertificateRequest,
  type CertificateRequestOptions,
  type ParsedCertificateRequest,
  type SignRequestOptions,
} from './csr.js';
export { loadOrCreatePki, servingNames, ADMIN_GROUP, ADMIN_USER, APISERVER_KUBELET_CLIENT_USER, type Pki, type PkiOptions, type PkiPaths } from './pki-dir.js';
export { renderKubeconfig, writeKubeconfig, type CertificateKubeconfigOptions, type KubeconfigOptions, type TokenKubeconfigOptions } from './kubeconfig.js';
export type { CertificateAuthority, KeyAndCertificate, KeyUsage, ValidityOptions } from './sign.js';
export { PUBLIC_MODE, SECRET_MODE, readIfExists, writeFileAtomic } from './files.js';
export { keyIdOf, loadOrCreateServiceAccountKey, loadVerificationKeys, type ServiceAccountKey } from './service-account-key.js';
