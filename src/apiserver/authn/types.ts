// Who made a request: the UserInfo that authenticators produce (Kubernetes' user.Info) and the
// Authenticator interface every credential type implements.

import type { ServerRequest } from '../serving/types.js';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  /** The request's user, or undefined when this authenticator has no (valid) credential for it. */
  authenticate(req: ServerRequest): UserInfo | undefined | Promise<UserInfo | undefined>;
}

export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_UNAUTHENTICATED = 'system:unauthenticated';
export const USER_ANONYMOUS = 'system:anonymous';
