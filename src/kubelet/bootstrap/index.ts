// The kubelet's TLS bootstrap: CA discovery with a pinned hash, certificates through CSRs, and
// their rotation while the node runs.

export { caCertHash, discoverCa, parseCaCertHash } from './ca-discovery.js';
export { CertificateRequestError, requestCertificate, type CertificateRequestSpec, type RequestCertificateOptions } from './request-certificate.js';
export { bootstrapKubeletCredentials, clientCertificateSpec, credentialPaths, servingCertificateSpec, type KubeletCredentials, type TlsBootstrapOptions } from './tls-bootstrap.js';
export { CertificateManager, rotationDeadline, type CertificateManagerOptions } from './certificate-manager.js';
export { EXPIRED_CERTIFICATE_EXIT_AFTER_MS, watchExpiredCertificate, type ExpiredCertificateWatchOptions } from './expired-certificate-watch.js';
export { serverHealthAfter } from './server-health.js';
export { startCertificateRotation, type CertificateRotation, type CertificateRotationOptions } from './rotation.js';
export { isUnreachable, untilReachable } from './until-reachable.js';
