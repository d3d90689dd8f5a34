// Turning an HTTP error response into a StatusError (client-go's transformResponse /
// newUnexpectedResponseError): the server's own Status when the body is one, otherwise a Status
// made from the HTTP code, so callers classify every failure with status-predicates.ts.

import { CauseType, StatusReason, failureStatus, fromStatus, type Status, type StatusError } from '../../api/status.js';

const REASON_BY_CODE: Record<number, string> = {
  400: StatusReason.BadRequest,
  401: StatusReason.Unauthorized,
  403: StatusReason.Forbidden,
  404: StatusReason.NotFound,
  405: StatusReason.MethodNotAllowed,
  406: StatusReason.NotAcceptable,
  409: StatusReason.Conflict,
  410: StatusReason.Gone,
  413: StatusReason.RequestEntityTooLarge,
  415: StatusReason.UnsupportedMediaType,
  422: StatusReason.Invalid,
  429: StatusReason.TooManyRequests,
  500: StatusReason.InternalError,
  503: StatusReason.ServiceUnavailable,
  504: StatusReason.ServerTimeout,
};

const MESSAGE_BY_CODE: Record<number, string> = {
  400: 'the server rejected our request for an unknown reason',
  401: 'the server has asked for the client to provide credentials',
  403: 'the server does not allow access to the requested resource',
  404: 'the server could not find the requested resource',
  405: 'the server does not allow this method on the requested resource',
  409: 'the server reported a conflict',
  410: 'the server has asked for the client to re-list the resource',
  413: 'the server has rejected the request because the request body was too large',
  415: 'the server does not support the media type of the request',
  422: 'the server rejected our request due to an error in our request',
  429: 'the server has received too many requests and has asked us to try again later',
  500: 'an error on the server has prevented the request from succeeding',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

/** Whether a decoded body is a metav1.Status. */
export function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The Retry-After header in whole seconds, if present and valid. */
export function retryAfterSeconds(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** The StatusError for a non-2xx response. `what` describes the request, e.g. "get pods web". */
export function errorFromResponse(
  code: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  what: string,
): StatusError {
  let decoded: unknown;
  try {
    decoded = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    decoded = undefined;
  }
  const retryAfter = retryAfterSeconds(headers);
  if (isStatus(decoded) && decoded.status !== 'Success') {
    const status: Status = { ...decoded, code: decoded.code || code, status: 'Failure' };
    if (retryAfter !== undefined && !status.details?.retryAfterSeconds) status.details = { ...status.details, retryAfterSeconds: retryAfter };
    return fromStatus(status);
  }
  const reason = REASON_BY_CODE[code] ?? (code >= 500 ? StatusReason.InternalError : StatusReason.Unknown);
  const generic = MESSAGE_BY_CODE[code] ?? `an error on the server ("unknown") has prevented the request from succeeding`;
  const text = body.toString('utf8').slice(0, 1024).trim();
  return fromStatus(
    failureStatus(code, reason, `${generic} (${what})`, {
      causes: [{ reason: CauseType.UnexpectedServerResponse, message: text || `HTTP ${code}` }],
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    }),
  );
}
