// serviceaccounts/token: the TokenRequest subresource, as kube-apiserver's TokenREST. A name or
// namespace in the body must be the URL's; resolves the service account, defaults the audiences to
// the API server's, validates expirationSeconds (default 3600, at least 600, at most 2^32), resolves
// the boundObjectRef (a Pod running as that account, a Secret, or a Node; a uid given must match),
// adds the pod's node, and answers 201 with the TokenRequest whose status holds the signed token
// and its expirationTimestamp.

import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { KubeObject } from '../../api/object.js';
import * as field from '../../api/field-errors.js';
import { newBadRequest, newConflict, newInvalid } from '../../api/status-errors.js';
import type { BoundObjects, ServiceAccountTokenIssuer } from '../authn/service-account-token.js';
import { decodeNamedBody } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';

export const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;
const DEFAULT_TOKEN_SECONDS = 3600;
const TOKEN_REQUEST = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

/** How the handler reads objects: throws NotFound like a GET, or undefined for `find` (best effort). */
export interface TokenRequestObjects {
  get(resource: 'serviceaccounts' | 'pods' | 'secrets', namespace: string, name: string): Promise<KubeObject>;
  getNode(name: string): Promise<KubeObject>;
  findNode(name: string): Promise<KubeObject | undefined>;
}

export interface TokenRequestContext {
  issuer: ServiceAccountTokenIssuer;
  /** The API server's audiences: what a request that names none gets. */
  audiences: readonly string[];
  objects: TokenRequestObjects;
}

function validate(expirationSeconds: unknown): void {
  const path = field.path('spec', 'expirationSeconds');
  const errs =
    typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds)
      ? [field.invalid(path, expirationSeconds, 'must be an integer')]
      : expirationSeconds < MIN_TOKEN_SECONDS
        ? [field.invalid(path, expirationSeconds, 'may not specify a duration less than 10 minutes')]
        : expirationSeconds > MAX_TOKEN_SECONDS
          ? [field.invalid(path, expirationSeconds, 'may not specify a duration larger than 2^32 seconds')]
          : [];
  if (errs.length) throw newInvalid(TOKEN_REQUEST, '', errs);
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function handleTokenRequest(req: ApiRequest, res: ApiResponse, namespace: string, name: string, ctx: TokenRequestContext): Promise<void> {
  const body = decodeNamedBody<TokenRequest>(await readBody(req), req.headers['content-type'], undefined, {
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'TokenRequest',
  });
  // A name or namespace in the body must be the URL's.
  const meta = body.metadata ?? {};
  const mismatch = (what: 'name' | 'namespace', value: string | undefined, want: string) =>
    value && value !== want ? [field.invalid(field.path('metadata', what), value, `must match the service account ${what} if specified`)] : [];
  const wrong = [...mismatch('name', meta.name, name), ...mismatch('namespace', meta.namespace, namespace)];
  if (wrong.length) throw newInvalid(TOKEN_REQUEST, name, wrong.slice(0, 1));
  const { objects } = ctx;
  const sa = await objects.get('serviceaccounts', namespace, name);
  const spec = { ...(body.spec ?? { audiences: [] }) };
  if (!spec.audiences?.length) spec.audiences = [...ctx.audiences];
  spec.expirationSeconds ??= DEFAULT_TOKEN_SECONDS;
  validate(spec.expirationSeconds);

  const bound: BoundObjects = {};
  const ref = spec.boundObjectRef;
  if (ref) {
    const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0]! : '';
    let target: KubeObject;
    if (group === '' && ref.kind === 'Pod') {
      target = bound.pod = await objects.get('pods', namespace, ref.name ?? '');
      const podSa = (target as { spec?: { serviceAccountName?: string } }).spec?.serviceAccountName;
      if (podSa !== name) throw newBadRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      const nodeName = (target as { spec?: { nodeName?: string } }).spec?.nodeName;
      if (nodeName) bound.node = (await objects.findNode(nodeName)) ?? { metadata: { name: nodeName } };
    } else if (group === '' && ref.kind === 'Secret') {
      target = bound.secret = await objects.get('secrets', namespace, ref.name ?? '');
    } else if (group === '' && ref.kind === 'Node') {
      target = bound.node = await objects.getNode(ref.name ?? '');
    } else {
      const version = (ref.apiVersion ?? '').split('/').pop() ?? '';
      throw newBadRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`); // Go's GroupVersionKind.String()
    }
    if (ref.uid && ref.uid !== target.metadata?.uid) {
      throw newConflict(
        { group, resource: ref.kind ?? '' },
        ref.name ?? '',
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
  }
  const { token, issuedAt, expiresAt } = ctx.issuer.issue(sa, bound, spec.expirationSeconds, spec.audiences);
  const out: TokenRequest = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(issuedAt) },
    spec,
    status: { token, expirationTimestamp: rfc3339(expiresAt) },
  };
  writeJson(res, 201, out);
}
