// authentication.k8s.io/v1 selfsubjectreviews: "who am I" (`kubectl auth whoami`). A create-only
// resource with nothing stored: the answer is the request's own authenticated user.

import type { SelfSubjectReview } from 'kubernetes-types/authentication/v1.js';
import type { UserInfo } from '../authn/index.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { decodeBody } from './decode.js';
import { readBody, writeJson, type ApiRequest, type ApiResponse } from './http.js';

export const SELF_SUBJECT_REVIEWS: ResourceDefinition = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  resource: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  strategy: {},
};

export async function handleSelfSubjectReview(req: ApiRequest, res: ApiResponse, user: UserInfo): Promise<void> {
  // The body says nothing that matters, but it must be one (JSON, YAML or protobuf).
  decodeBody(await readBody(req), req.headers['content-type'], { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' });
  const review: SelfSubjectReview = {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null as unknown as string },
    status: {
      userInfo: {
        username: user.name,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: [...user.groups],
        ...(user.extra ? { extra: user.extra } : {}),
      },
    },
  };
  writeJson(res, 201, review);
}
