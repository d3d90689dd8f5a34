// Whether the API server is responsive, judged from a certificate request's failure as client-go's
// certificate manager does (updateServerError): 401 (also what a TLS-terminating proxy says), 403
// and 404 are answers of a working server; any other failure — a 5xx, a connection error — says
// it is not. A request that was sent and then not signed in time or denied says nothing new.

import { isForbidden, isNotFound, isUnauthorized } from '../../api/status-predicates.js';
import { CertificateRequestError } from './request-certificate.js';

export function serverHealthAfter(err: unknown, previous: boolean): boolean {
  if (err instanceof CertificateRequestError) return previous;
  return isUnauthorized(err) || isForbidden(err) || isNotFound(err);
}
