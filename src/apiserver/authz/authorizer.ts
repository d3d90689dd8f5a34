// Authorization: the decision between authentication and admission, as kube-apiserver's
// authorizer.Authorizer — given who asks and what the request addresses, allow, deny or have no
// opinion. AlwaysAllow serves every authenticated user until RBAC lands.

import type { UserInfo } from '../authn/index.js';
import type { RequestInfo } from '../endpoints/request-info.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** What a user may do, as far as an authorizer can tell (authorizer.RuleResolver's RulesFor). */
export interface Rules {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  /** True when the authorizer cannot list everything it would allow. */
  incomplete: boolean;
}

export interface Authorizer {
  authorize(user: UserInfo, request: RequestInfo): Decision | Promise<Decision>;
  /** The user's rules in a namespace; an authorizer without it lists nothing (incomplete). */
  rulesFor?(user: UserInfo, namespace: string): Rules | Promise<Rules>;
}

export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};
