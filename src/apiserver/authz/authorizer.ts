// Authorization: the decision between authentication and admission, as kube-apiserver's
// authorizer.Authorizer — given who asks and what the request addresses, allow, deny or have no
// opinion. AlwaysAllow serves every authenticated user until RBAC lands.

import type { UserInfo } from '../authn/index.js';
import type { RequestInfo } from '../endpoints/request-info.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

export interface Authorizer {
  authorize(user: UserInfo, request: RequestInfo): Decision | Promise<Decision>;
}

export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true }),
};
