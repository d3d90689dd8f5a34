// Classifying errors by Status reason, as apierrors.IsNotFound and friends do: a known reason
// decides; an unknown reason falls back to the HTTP code where Kubernetes does so.

import { CauseType, StatusError, StatusReason } from './status.js';

const KNOWN_REASONS = new Set<string>(Object.values(StatusReason).filter((r) => r !== ''));

function reasonAndCode(err: unknown): [string, number] {
  if (err instanceof StatusError) return [err.status.reason ?? '', err.status.code];
  return ['', 0];
}

function byReasonOrCode(err: unknown, reason: string, code: number): boolean {
  const [r, c] = reasonAndCode(err);
  if (r === reason) return true;
  return !KNOWN_REASONS.has(r) && c === code;
}

/** The Status reason of an error ("" when it carries none). */
export function reasonForError(err: unknown): string {
  return reasonAndCode(err)[0];
}

export const isNotFound = (err: unknown): boolean => byReasonOrCode(err, StatusReason.NotFound, 404);
export const isAlreadyExists = (err: unknown): boolean => reasonForError(err) === StatusReason.AlreadyExists;
export const isConflict = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Conflict, 409);
export const isInvalid = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Invalid, 422);
export const isGone = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Gone, 410);
export const isResourceExpired = (err: unknown): boolean => reasonForError(err) === StatusReason.Expired;
export const isNotAcceptable = (err: unknown): boolean => byReasonOrCode(err, StatusReason.NotAcceptable, 406);
export const isUnsupportedMediaType = (err: unknown): boolean => byReasonOrCode(err, StatusReason.UnsupportedMediaType, 415);
export const isMethodNotSupported = (err: unknown): boolean => byReasonOrCode(err, StatusReason.MethodNotAllowed, 405);
export const isServiceUnavailable = (err: unknown): boolean => byReasonOrCode(err, StatusReason.ServiceUnavailable, 503);
export const isBadRequest = (err: unknown): boolean => byReasonOrCode(err, StatusReason.BadRequest, 400);
export const isUnauthorized = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Unauthorized, 401);
export const isForbidden = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Forbidden, 403);
export const isTimeout = (err: unknown): boolean => byReasonOrCode(err, StatusReason.Timeout, 504);
export const isServerTimeout = (err: unknown): boolean => reasonForError(err) === StatusReason.ServerTimeout;
export const isInternalError = (err: unknown): boolean => byReasonOrCode(err, StatusReason.InternalError, 500);
export const isTooManyRequests = (err: unknown): boolean => byReasonOrCode(err, StatusReason.TooManyRequests, 429);
export const isRequestEntityTooLarge = (err: unknown): boolean =>
  byReasonOrCode(err, StatusReason.RequestEntityTooLarge, 413);

/** Whether the error's Status details include a cause of the given type. */
export function hasStatusCause(err: unknown, causeType: string): boolean {
  if (!(err instanceof StatusError)) return false;
  return (err.status.details?.causes ?? []).some((c) => c.reason === causeType);
}

/** storage.IsTooLargeResourceVersion: a Timeout with cause ResourceVersionTooLarge. */
export function isTooLargeResourceVersion(err: unknown): boolean {
  return isTimeout(err) && hasStatusCause(err, CauseType.ResourceVersionTooLarge);
}

/** apierrors.SuggestsClientDelay: the Retry-After seconds an error asks for, if it asks. */
export function suggestsClientDelay(err: unknown): number | undefined {
  if (!(err instanceof StatusError) || !err.status.details) return undefined;
  const seconds = err.status.details.retryAfterSeconds ?? 0;
  if (err.status.reason === StatusReason.ServerTimeout) return seconds;
  return seconds > 0 ? seconds : undefined;
}
