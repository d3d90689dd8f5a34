// metav1.Status and the StatusError that carries one: the wire shape of every API failure, the
// reason and cause-type vocabularies, and statusOf() which turns any thrown value into a Status.
// The constructors for each kind of failure live in status-errors.ts.

export const StatusReason = {
  Unknown: '',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Invalid: 'Invalid',
  ServerTimeout: 'ServerTimeout',
  StoreReadError: 'StorageReadError',
  Timeout: 'Timeout',
  TooManyRequests: 'TooManyRequests',
  BadRequest: 'BadRequest',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  UnsupportedMediaType: 'UnsupportedMediaType',
  InternalError: 'InternalError',
  Expired: 'Expired',
  ServiceUnavailable: 'ServiceUnavailable',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** metav1.CauseType values beyond the field-error types (which field-errors.ts defines). */
export const CauseType = {
  FieldValueNotFound: 'FieldValueNotFound',
  FieldValueRequired: 'FieldValueRequired',
  FieldValueDuplicate: 'FieldValueDuplicate',
  FieldValueInvalid: 'FieldValueInvalid',
  FieldValueNotSupported: 'FieldValueNotSupported',
  FieldValueTooLong: 'FieldValueTooLong',
  FieldValueTooMany: 'FieldValueTooMany',
  FieldValueForbidden: 'FieldValueForbidden',
  InternalError: 'InternalError',
  FieldValueTypeInvalid: 'FieldValueTypeInvalid',
  UnexpectedServerResponse: 'UnexpectedServerResponse',
  FieldManagerConflict: 'FieldManagerConflict',
  ResourceVersionTooLarge: 'ResourceVersionTooLarge',
} as const;

/** metav1.StatusCause. On the wire the cause type is the `reason` property. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails. `kind` holds the resource (e.g. "pods") for most errors, as in Kubernetes. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface ListMeta {
  selfLink?: string;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** metav1.Status, with properties in the order Kubernetes serializes them. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: ListMeta;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

/** Builds a Failure Status, leaving out empty optional fields as Go's omitempty does. */
export function failureStatus(code: number, reason: StatusReason | string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
    ...(details ? { details: compactDetails(details) } : {}),
    code,
  };
}

function compactDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** An error that carries the Status the API server answers with (apierrors.StatusError). */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? '');
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** apierrors.FromObject: a StatusError for a Status received from a server. */
export function fromStatus(status: Status): StatusError {
  return new StatusError(status);
}

/**
 * The Status to answer with for any thrown value. A StatusError gives its own Status (with the
 * defaults ErrorToAPIStatus fills in); anything else becomes 500 InternalError whose message is the
 * error's message only — never its stack.
 */
export function statusOf(err: unknown): Status {
  if (err instanceof StatusError) {
    const s = structuredClone(err.status);
    if (!s.status) s.status = 'Failure';
    if (!s.code) s.code = s.status === 'Success' ? 200 : 500;
    s.kind = 'Status';
    s.apiVersion = 'v1';
    return s;
  }
  const message = messageOf(err);
  return failureStatus(500, StatusReason.InternalError, `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** The message of a thrown value: an Error's message, else its string form. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}
