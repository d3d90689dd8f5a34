// The 401 answer for requests without valid credentials: a Kubernetes Status, as kube-apiserver
// sends it. Kept local and minimal; the full Status catalogue lives in src/api.

import type { ServerResponse } from '../serving/types.js';

const BODY = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
});
const HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), 'cache-control': 'no-cache, private' };

export function writeUnauthorized(res: ServerResponse): void {
  res.writeHead(401, HEADERS);
  res.end(BODY);
}
