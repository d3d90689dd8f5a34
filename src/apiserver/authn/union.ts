// The request authenticator: tries each authenticator in order (client certificate first, then
// tokens), adds system:authenticated to the user found (as Kubernetes does), and optionally lets
// requests that carry no credentials at all through as system:anonymous.

import type { ServerRequest } from '../serving/types.js';
import { GROUP_AUTHENTICATED, GROUP_UNAUTHENTICATED, USER_ANONYMOUS, type Authenticator, type UserInfo } from './types.js';

export interface UnionAuthenticatorOptions {
  /** Requests with no Authorization header and no client certificate become system:anonymous. */
  anonymous?: boolean;
}

const ANONYMOUS: UserInfo = Object.freeze({ name: USER_ANONYMOUS, groups: [GROUP_UNAUTHENTICATED] }) as UserInfo;

function presentsCredentials(req: ServerRequest): boolean {
  if (req.headers.authorization !== undefined) return true;
  const socket = req.socket as { getPeerCertificate?: () => object };
  const cert = socket.getPeerCertificate?.();
  return cert !== undefined && Object.keys(cert).length > 0;
}

export function createUnionAuthenticator(authenticators: readonly Authenticator[], options: UnionAuthenticatorOptions = {}): Authenticator {
  // Authenticators usually return the same UserInfo object for the same credential, so the
  // copy with system:authenticated is made once per such object.
  const withGroup = new WeakMap<UserInfo, UserInfo>();
  const finish = (user: UserInfo): UserInfo => {
    if (user.name === USER_ANONYMOUS || user.groups.includes(GROUP_AUTHENTICATED)) return user;
    let out = withGroup.get(user);
    if (!out) {
      out = { ...user, groups: [...user.groups, GROUP_AUTHENTICATED] };
      withGroup.set(user, out);
    }
    return out;
  };
  const fallback = (req: ServerRequest) => (options.anonymous && !presentsCredentials(req) ? ANONYMOUS : undefined);
  const from = async (req: ServerRequest, index: number, pending: Promise<UserInfo | undefined>) => {
    const user = await pending;
    if (user) return finish(user);
    for (let i = index + 1; i < authenticators.length; i++) {
      const next = await authenticators[i]!.authenticate(req);
      if (next) return finish(next);
    }
    return fallback(req);
  };
  return {
    authenticate(req) {
      for (let i = 0; i < authenticators.length; i++) {
        const result = authenticators[i]!.authenticate(req);
        if (result instanceof Promise) return from(req, i, result);
        if (result) return finish(result);
      }
      return fallback(req);
    },
  };
}
