// Service-account tokens for projected volumes, requested through the TokenRequest API and reused
// until 80% of their lifetime has passed (or 24 hours), as the kubelet's token manager does, so
// that re-mounting a pod does not ask for a new token every sync.

import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { Clock } from '../../../util/clock.js';
import type { ClusterLookup, IssuedToken } from '../../lookup/lookup.js';

const MAX_TTL_MS = 24 * 60 * 60 * 1000;

interface Cached {
  token: IssuedToken;
  refreshAt: number;
}

export class TokenCache {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly lookup: ClusterLookup,
    private readonly clock: Clock,
  ) {}

  async get(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken> {
    const key = JSON.stringify([namespace, serviceAccount, spec]);
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit && now < hit.refreshAt) return hit.token;
    const token = await this.lookup.requestServiceAccountToken(namespace, serviceAccount, spec);
    const expires = Date.parse(token.expirationTimestamp);
    const ttl = Number.isFinite(expires) ? expires - now : (spec.expirationSeconds ?? 3600) * 1000;
    this.cache.set(key, { token, refreshAt: now + Math.min(ttl * 0.8, MAX_TTL_MS) });
    return token;
  }

  /** Forgets the tokens bound to a pod. */
  forgetPod(uid: string): void {
    for (const key of [...this.cache.keys()]) if (key.includes(`"uid":"${uid}"`)) this.cache.delete(key);
  }
}
