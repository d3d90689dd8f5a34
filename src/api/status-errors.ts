// The error catalogue: one constructor per failure the API reports, mirroring
// k8s.io/apimachinery/pkg/api/errors (and the apiserver's negotiation and storage errors) with the
// same codes, reasons, details and messages kubectl shows.

import type { FieldError } from './field-errors.js';
import { aggregateMessage, toStatusCauses } from './field-errors.js';
import type { GroupKind, GroupResource } from './schema.js';
import { groupKindString, groupResourceString } from './schema.js';
import { goQuote } from './go-format.js';
import { CauseType, StatusError, StatusReason, failureStatus, messageOf } from './status.js';

type ErrLike = Error | string;

function errText(err: ErrLike): string {
  return typeof err === 'string' ? err : err.message;
}

function resourceDetails(qr: GroupResource, name: string): { group: string; kind: string; name: string } {
  return { group: qr.group, kind: qr.resource, name };
}

/** 404 NotFound: `pods "x" not found`. */
export function newNotFound(qr: GroupResource, name: string): StatusError {
  return new StatusError(
    failureStatus(404, StatusReason.NotFound, `${groupResourceString(qr)} ${goQuote(name)} not found`, resourceDetails(qr, name)),
  );
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function newAlreadyExists(qr: GroupResource, name: string): StatusError {
  return new StatusError(
    failureStatus(409, StatusReason.AlreadyExists, `${groupResourceString(qr)} ${goQuote(name)} already exists`, resourceDetails(qr, name)),
  );
}

/** 409 AlreadyExists when generateName could not find a free name. */
export function newGenerateNameConflict(qr: GroupResource, name: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    failureStatus(
      409,
      StatusReason.AlreadyExists,
      `${groupResourceString(qr)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`,
      { ...resourceDetails(qr, name), retryAfterSeconds },
    ),
  );
}

/** 409 Conflict: `Operation cannot be fulfilled on pods "x": <err>`. */
export function newConflict(qr: GroupResource, name: string, err: ErrLike): StatusError {
  return new StatusError(
    failureStatus(
      409,
      StatusReason.Conflict,
      `Operation cannot be fulfilled on ${groupResourceString(qr)} ${goQuote(name)}: ${errText(err)}`,
      resourceDetails(qr, name),
    ),
  );
}

/** 422 Invalid: `Pod "x" is invalid: [a: ..., b: ...]` with one cause per field error. */
export function newInvalid(qk: GroupKind, name: string, errs: readonly FieldError[]): StatusError {
  const agg = aggregateMessage(errs);
  const subject = `${groupKindString(qk)} ${goQuote(name)} is invalid`;
  return new StatusError(
    failureStatus(422, StatusReason.Invalid, agg ? `${subject}: ${agg}` : subject, {
      group: qk.group,
      kind: qk.kind,
      name,
      causes: toStatusCauses(errs),
    }),
  );
}

/** 400 BadRequest with the given message. */
export function newBadRequest(reason: string): StatusError {
  return new StatusError(failureStatus(400, StatusReason.BadRequest, reason));
}

/** 401 Unauthorized ("not authorized" when no reason is given). */
export function newUnauthorized(reason = ''): StatusError {
  return new StatusError(failureStatus(401, StatusReason.Unauthorized, reason || 'not authorized'));
}

/** 403 Forbidden: `pods "x" is forbidden: <err>` (or `pods is forbidden: ...`, `forbidden: ...`). */
export function newForbidden(qr: GroupResource, name: string, err: ErrLike): StatusError {
  const text = errText(err);
  let message: string;
  if (!qr.group && !qr.resource) message = `forbidden: ${text}`;
  else if (!name) message = `${groupResourceString(qr)} is forbidden: ${text}`;
  else message = `${groupResourceString(qr)} ${goQuote(name)} is forbidden: ${text}`;
  return new StatusError(failureStatus(403, StatusReason.Forbidden, message, resourceDetails(qr, name)));
}

/** 405 MethodNotAllowed: `<action> is not supported on resources of kind "pods"`. */
export function newMethodNotSupported(qr: GroupResource, action: string): StatusError {
  return new StatusError(
    failureStatus(
      405,
      StatusReason.MethodNotAllowed,
      `${action} is not supported on resources of kind ${goQuote(groupResourceString(qr))}`,
      { group: qr.group, kind: qr.resource },
    ),
  );
}

/** 406 NotAcceptable: `only the following media types are accepted: a, b`. */
export function newNotAcceptable(accepted: readonly string[]): StatusError {
  return new StatusError(
    failureStatus(406, StatusReason.NotAcceptable, `only the following media types are accepted: ${accepted.join(', ')}`),
  );
}

/** 406 NotAcceptable for a conversion target (`... when converting to Table: ...`). */
export function newNotAcceptableConversion(target: string, accepted: readonly string[]): StatusError {
  return new StatusError(
    failureStatus(
      406,
      StatusReason.NotAcceptable,
      `only the following media types are accepted when converting to ${target}: ${accepted.join(', ')}`,
    ),
  );
}

/** 415 UnsupportedMediaType for a request body in an unknown format. */
export function newUnsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(
    failureStatus(
      415,
      StatusReason.UnsupportedMediaType,
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
}

/** 413 RequestEntityTooLarge: `Request entity too large: <message>`. */
export function newRequestEntityTooLarge(message: string): StatusError {
  return new StatusError(failureStatus(413, StatusReason.RequestEntityTooLarge, `Request entity too large: ${message}`));
}

/** 410 Gone (deprecated in Kubernetes in favour of newResourceExpired). */
export function newGone(message: string): StatusError {
  return new StatusError(failureStatus(410, StatusReason.Gone, message));
}

/** 410 Expired: the requested resourceVersion has been compacted away. */
export function newResourceExpired(message: string): StatusError {
  return new StatusError(failureStatus(410, StatusReason.Expired, message));
}

/** 429 TooManyRequests with a Retry-After hint. */
export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(failureStatus(429, StatusReason.TooManyRequests, message, { retryAfterSeconds }));
}

/** 429 TooManyRequests without a hint: `Too many requests: <message>`. */
export function newTooManyRequestsError(message: string): StatusError {
  return new StatusError(failureStatus(429, StatusReason.TooManyRequests, `Too many requests: ${message}`));
}

/** 500 InternalError: `Internal error occurred: <err>`. */
export function newInternalError(err: unknown): StatusError {
  const message = messageOf(err);
  return new StatusError(
    failureStatus(500, StatusReason.InternalError, `Internal error occurred: ${message}`, { causes: [{ message }] }),
  );
}

/** 500 ServerTimeout: a transient failure the client should retry. */
export function newServerTimeout(qr: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    failureStatus(
      500,
      StatusReason.ServerTimeout,
      `The ${operation} operation against ${groupResourceString(qr)} could not be completed at this time, please try again.`,
      { group: qr.group, kind: qr.resource, name: operation, retryAfterSeconds },
    ),
  );
}

/** 503 ServiceUnavailable with the given message. */
export function newServiceUnavailable(reason: string): StatusError {
  return new StatusError(failureStatus(503, StatusReason.ServiceUnavailable, reason));
}

/** 504 Timeout: `Timeout: <message>`. */
export function newTimeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError(failureStatus(504, StatusReason.Timeout, `Timeout: ${message}`, { retryAfterSeconds }));
}

/**
 * 504 Timeout with cause ResourceVersionTooLarge: a read asked for a resourceVersion newer than the
 * store has (storage.NewTooLargeResourceVersionError).
 */
export function newTooLargeResourceVersion(
  minimumResourceVersion: number | bigint | string,
  currentRevision: number | bigint | string,
  retryAfterSeconds: number,
): StatusError {
  return new StatusError(
    failureStatus(504, StatusReason.Timeout, `Timeout: Too large resource version: ${minimumResourceVersion}, current: ${currentRevision}`, {
      retryAfterSeconds,
      causes: [{ reason: CauseType.ResourceVersionTooLarge, message: 'Too large resource version' }],
    }),
  );
}
