// The authentication step in front of the API server's handler: authenticate the request, answer
// 401 when nobody vouches for it, otherwise pass the user on.

import type { RequestHandler, ServerRequest, ServerResponse } from '../serving/types.js';
import type { Authenticator, UserInfo } from './types.js';
import { writeUnauthorized } from './unauthorized.js';

export type AuthenticatedHandler = (req: ServerRequest, res: ServerResponse, user: UserInfo) => void | Promise<void>;

export function withAuthentication(authenticator: Authenticator, next: AuthenticatedHandler): RequestHandler {
  return (req, res) => {
    const result = authenticator.authenticate(req);
    if (!(result instanceof Promise)) {
      if (!result) return writeUnauthorized(res);
      return next(req, res, result);
    }
    return result.then((user) => (user ? next(req, res, user) : writeUnauthorized(res)));
  };
}
