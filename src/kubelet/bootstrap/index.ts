// The kubelet's TLS bootstrap: CA discovery with a pinned hash, certificates through CSRs.

export { caCertHash, discoverCa, parseCaCertHash } from './ca-discovery.js';
export { CertificateRequestError, requestCertificate, type CertificateRequestSpec, type RequestCertificateOptions } from './request-certificate.js';
export { bootstrapKubeletCredentials, credentialPaths, type KubeletCredentials, type TlsBootstrapOptions } from './tls-bootstrap.js';
export { isUnreachable, untilReachable } from './until-reachable.js';
