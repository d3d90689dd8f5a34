// HTTP semantics of /openapi/v2, /openapi/v3 and /openapi/v3/<group version>, as kube-openapi's
// handlers answer them: content negotiation (JSON only; protobuf-only requests get 406), ETags and
// If-None-Match, and for a request carrying the current ?hash= immutable caching headers (a stale
// hash is redirected to the current one). Transport-neutral: the server writes the result.

import type { OpenApi, OpenApiPayload } from './openapi.js';

export interface OpenApiHttpRequest {
  method: string;
  /** the request path without the query string */
  path: string;
  /** the query string (with or without '?') or parsed parameters */
  query?: string | URLSearchParams;
  accept?: string;
  ifNoneMatch?: string;
  /** the current time, for the Expires header */
  now: Date;
}

export interface OpenApiHttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V3_PROTOBUF = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';

/** Whether an Accept header admits JSON (application/json, application/*, * / *, or no header). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((clause) => {
    const [range, ...params] = clause.split(';').map((s) => s.trim().toLowerCase());
    if (params.some((p) => p.replace(/\s/g, '') === 'q=0')) return false;
    return range === 'application/json' || range === 'application/*' || range === '*/*';
  });
}

function ok(req: OpenApiHttpRequest, doc: OpenApiPayload, extra: Record<string, string> = {}): OpenApiHttpResponse {
  const headers: Record<string, string> = { 'Content-Type': doc.contentType, ETag: doc.etag, ...extra };
  const tags = (req.ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(doc.etag) || tags.includes('*')) return { status: 304, headers };
  headers['Content-Length'] = String(doc.body.length);
  return req.method === 'HEAD' ? { status: 200, headers } : { status: 200, headers, body: doc.body };
}

function notAcceptable(): OpenApiHttpResponse {
  return { status: 406, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('406 Not Acceptable: only application/json is served\n') };
}

/** Answers an /openapi/... request, or returns undefined when the path is not an OpenAPI path. */
export function serveOpenApi(api: OpenApi, req: OpenApiHttpRequest): OpenApiHttpResponse | undefined {
  const path = req.path.replace(/\/+$/, '');
  if (path !== '/openapi/v2' && path !== '/openapi/v3' && !path.startsWith('/openapi/v3/')) return undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('405 Method Not Allowed\n') };
  }
  if (path === '/openapi/v2') {
    return acceptsJson(req.accept) ? ok(req, api.openApiV2(), { Vary: 'Accept' }) : notAcceptable();
  }
  if (path === '/openapi/v3') return ok(req, api.openApiV3Index());

  const groupVersion = path.slice('/openapi/v3/'.length);
  const doc = api.openApiV3Document(groupVersion);
  if (!doc) {
    return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('404 page not found\n') };
  }
  if (!acceptsJson(req.accept)) return notAcceptable();
  const query = typeof req.query === 'string' ? new URLSearchParams(req.query.replace(/^\?/, '')) : (req.query ?? new URLSearchParams());
  const hash = query.get('hash');
  if (hash) {
    if (hash !== doc.hash) {
      return { status: 301, headers: { Location: `/openapi/v3/${groupVersion}?hash=${doc.hash}`, Vary: 'Accept' } };
    }
    const expires = new Date(req.now.getTime());
    expires.setUTCFullYear(expires.getUTCFullYear() + 1);
    return ok(req, doc, { Vary: 'Accept', 'Cache-Control': 'public, immutable', Expires: expires.toUTCString() });
  }
  return ok(req, doc, { Vary: 'Accept' });
}
