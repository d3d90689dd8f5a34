// The bootstrap token authenticator (kube-apiserver --enable-bootstrap-token-auth): a bearer token
// "<id>.<secret>" is looked up as the Secret kube-system/bootstrap-token-<id>; it authenticates as
// system:bootstrap:<id> in system:bootstrappers (plus its auth-extra-groups) while the Secret has
// the bootstrap type, the same secret, usage-bootstrap-authentication "true", is not expired and
// not being deleted.

import { timingSafeEqual } from 'node:crypto';
import type { Secret } from 'kubernetes-types/core/v1.js';
import {
  BOOTSTRAPPERS_GROUP,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_USER_PREFIX,
  parseBootstrapToken,
} from '../../api/bootstrap-token.js';
import { realClock, type Clock } from '../../util/clock.js';
import { bearerToken } from './bearer.js';
import type { Authenticator, UserInfo } from './types.js';

const EXTRA_GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

export interface BootstrapTokenAuthenticatorOptions {
  /** The Secret kube-system/bootstrap-token-<id> as stored (base64 data), or undefined. */
  getSecret(name: string): Promise<Secret | undefined>;
  clock?: Clock;
}

const field = (secret: Secret, key: string): string | undefined => {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The user a bootstrap token Secret stands for, if `token` matches it and it is usable at `now`. */
export function bootstrapTokenUser(secret: Secret, id: string, tokenSecret: string, now: number): UserInfo | undefined {
  if (secret.metadata?.deletionTimestamp || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  if (field(secret, 'token-id') !== id || !sameText(field(secret, 'token-secret') ?? '', tokenSecret)) return undefined;
  const expiration = field(secret, 'expiration');
  if (expiration !== undefined) {
    const at = Date.parse(expiration);
    if (Number.isNaN(at) || now >= at) return undefined;
  }
  if (field(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
  const extra = (field(secret, 'auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  if (extra.some((g) => !EXTRA_GROUP.test(g))) return undefined;
  return { name: BOOTSTRAP_USER_PREFIX + id, groups: [BOOTSTRAPPERS_GROUP, ...extra.filter((g) => g !== BOOTSTRAPPERS_GROUP)] };
}

export function createBootstrapTokenAuthenticator(options: BootstrapTokenAuthenticatorOptions): Authenticator {
  const clock = options.clock ?? realClock;
  return {
    async authenticate(req) {
      const token = parseBootstrapToken(bearerToken(req.headers) ?? '');
      if (!token) return undefined;
      const secret = await options.getSecret(`bootstrap-token-${token.id}`);
      return secret ? bootstrapTokenUser(secret, token.id, token.secret, clock.now()) : undefined;
    },
  };
}
