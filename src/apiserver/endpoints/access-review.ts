// authorization.k8s.io/v1 access reviews: "may this user do that?" answered by the server's own
// authorizer, as kube-apiserver's — SelfSubjectAccessReview (`kubectl auth can-i`, for the
// requester), SubjectAccessReview (for any user, groups and extra given in the spec),
// LocalSubjectAccessReview (the same, in the URL's namespace) and SelfSubjectRulesReview
// (`kubectl auth can-i --list`: what the authorizer can tell of the requester's rules). Create-only
// resources with nothing stored; the answer is the request's object with its status filled in.

import type {
  LocalSubjectAccessReview,
  ResourceAttributes,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
  SubjectAccessReviewSpec,
} from 'kubernetes-types/authorization/v1.js';
import type { FieldError } from '../../api/field-errors.js';
import * as field from '../../api/field-errors.js';
import { path } from '../../api/field-path.js';
import { newInvalid } from '../../api/status-errors.js';
import type { UserInfo } from '../authn/index.js';
import type { Authorizer, Rules } from '../authz/authorizer.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { decodeBody } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';
import type { RequestInfo } from './request-info.js';

const GROUP = 'authorization.k8s.io';
const review = (kind: string, resource: string, namespaced = false): ResourceDefinition => ({
  group: GROUP,
  version: 'v1',
  kind,
  resource,
  singular: kind.toLowerCase(),
  namespaced,
  verbs: ['create'],
  strategy: {},
});

export const ACCESS_REVIEWS = {
  self: review('SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  subject: review('SubjectAccessReview', 'subjectaccessreviews'),
  local: review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  rules: review('SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
} as const;

type Review = SelfSubjectAccessReview | SubjectAccessReview | LocalSubjectAccessReview;

/** Answers a create of one of the access review resources. */
export async function handleAccessReview(req: ApiRequest, res: ApiResponse, def: ResourceDefinition, requester: UserInfo, authorizer: Authorizer, namespace: string | undefined): Promise<void> {
  const gvk = { group: GROUP, version: 'v1', kind: def.kind };
  const body = decodeBody(await readBody(req), req.headers['content-type'], gvk).value as Review | SelfSubjectRulesReview;
  if (def === ACCESS_REVIEWS.rules) return writeJson(res, 201, await rulesReview(body as SelfSubjectRulesReview, requester, authorizer));
  const reviewObj = body as Review;
  const spec = (reviewObj.spec ?? {}) as SubjectAccessReviewSpec;
  const errors = validateSpec(def, spec, namespace);
  if (errors.length > 0) throw newInvalid({ group: GROUP, kind: def.kind }, '', errors);
  const user: UserInfo = def === ACCESS_REVIEWS.self ? requester : { name: spec.user ?? '', groups: [...(spec.groups ?? [])], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
  const decision = await authorizer.authorize(user, requestInfoOf(spec));
  const status = decision.allowed ? { allowed: true } : { allowed: false, ...(decision.reason ? { reason: decision.reason } : {}) };
  const answer = { ...reviewObj, kind: def.kind, apiVersion: `${GROUP}/v1`, metadata: { ...reviewObj.metadata, creationTimestamp: null }, status };
  writeJson(res, 201, answer);
}

function validateSpec(def: ResourceDefinition, spec: SubjectAccessReviewSpec, namespace: string | undefined): FieldError[] {
  const p = path('spec');
  const errs: FieldError[] = [];
  const both = spec.resourceAttributes && spec.nonResourceAttributes;
  if (both) errs.push(field.invalid(p.child('nonResourceAttributes'), spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) errs.push(field.invalid(p.child('resourceAttributes'), spec.resourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (def !== ACCESS_REVIEWS.self && !spec.user && !(spec.groups?.length)) errs.push(field.invalid(p.child('user'), spec.user ?? '', 'at least one of user or group must be specified'));
  if (def === ACCESS_REVIEWS.local) {
    if (spec.nonResourceAttributes) errs.push(field.invalid(p.child('nonResourceAttributes'), spec.nonResourceAttributes, 'disallowed on this kind of request'));
    if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== (namespace ?? '')) {
      errs.push(field.invalid(p.child('resourceAttributes', 'namespace'), spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
    }
  }
  return errs;
}

/** What the authorizer is asked: the review's attributes as a request would be described. */
function requestInfoOf(spec: SubjectAccessReviewSpec): RequestInfo {
  const r: ResourceAttributes | undefined = spec.resourceAttributes;
  if (!r) {
    const path = spec.nonResourceAttributes?.path ?? '';
    return { isResourceRequest: false, path, verb: spec.nonResourceAttributes?.verb ?? '', apiGroup: '', apiVersion: '' };
  }
  return {
    isResourceRequest: true,
    path: '',
    verb: r.verb ?? '',
    apiGroup: r.group ?? '',
    apiVersion: r.version ?? '',
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(r.resource ? { resource: r.resource } : {}),
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.name ? { name: r.name } : {}),
  };
}

/** The requester's rules in the spec's namespace, as far as the authorizer can list them. */
async function rulesReview(body: SelfSubjectRulesReview, requester: UserInfo, authorizer: Authorizer): Promise<object> {
  const rules: Rules = (await authorizer.rulesFor?.(requester, body.spec?.namespace ?? '')) ?? { resourceRules: [], nonResourceRules: [], incomplete: true };
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: `${GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: body.spec ?? {},
    status: { ...rules, ...(rules.incomplete && !authorizer.rulesFor ? { evaluationError: 'the authorizer cannot list rules' } : {}) },
  };
}
