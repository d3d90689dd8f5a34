// PatchError: why a patch was refused, and the HTTP status Kubernetes answers with.
//
// Mapping (kube-apiserver handlers/patch.go, 1.32):
//   bad-request → 400 BadRequest: the patch body cannot be decoded (not JSON, wrong shape), or a
//                 strategic-merge directive is malformed ($deleteFromPrimitiveList, $retainKeys,
//                 $setElementOrder format errors).
//   invalid     → 422 Invalid: the patch decodes but cannot be applied (JSON Patch: failing `test`,
//                 missing path, bad index, unknown op; SMP: lists of lists). Kubernetes answers a
//                 failing JSON Patch with the fixed message "the server rejected our request due to
//                 an error in our request" and drops the detail; `message` here keeps the detail.
//   too-large   → 413 RequestEntityTooLarge: a JSON Patch with more than 10000 operations.
//   internal    → 500 with reason "" (StatusReasonUnknown): Kubernetes returns the remaining
//                 strategic-merge errors (missing merge key, unknown $patch value, mixed element
//                 types, …) as plain Go errors, which the API server turns into a 500 carrying the
//                 message verbatim.

export type PatchErrorKind = 'bad-request' | 'invalid' | 'too-large' | 'internal';

const STATUS: Record<PatchErrorKind, { code: number; reason: string }> = {
  'bad-request': { code: 400, reason: 'BadRequest' },
  invalid: { code: 422, reason: 'Invalid' },
  'too-large': { code: 413, reason: 'RequestEntityTooLarge' },
  internal: { code: 500, reason: '' },
};

export class PatchError extends Error {
  readonly kind: PatchErrorKind;
  /** HTTP status code Kubernetes uses for this error. */
  readonly code: number;
  /** metav1.Status reason Kubernetes uses ('' is StatusReasonUnknown). */
  readonly reason: string;

  constructor(kind: PatchErrorKind, message: string) {
    super(message);
    this.name = 'PatchError';
    this.kind = kind;
    this.code = STATUS[kind].code;
    this.reason = STATUS[kind].reason;
  }
}

export function badRequest(message: string): PatchError {
  return new PatchError('bad-request', message);
}

export function invalidPatch(message: string): PatchError {
  return new PatchError('invalid', message);
}

export function internalPatchError(message: string): PatchError {
  return new PatchError('internal', message);
}
