// Response content negotiation for resource requests: Kite answers in JSON only, so a client whose
// Accept header lists nothing but protobuf (application/vnd.kubernetes.protobuf) gets 406
// NotAcceptable, as kube-apiserver answers a media type it cannot serialize. kubectl's typed
// clients list JSON after protobuf and get JSON.

import { newNotAcceptable } from '../../api/status-errors.js';

/** Throws 406 when every media range of the Accept header asks for protobuf. */
export function assertAcceptable(accept: string | undefined): void {
  if (!accept) return;
  const ranges = accept.split(',').map((r) => (r.split(';')[0] ?? '').trim().toLowerCase()).filter((r) => r !== '');
  if (ranges.length > 0 && ranges.every((r) => r.endsWith('protobuf'))) throw newNotAcceptable(['application/json']);
}
