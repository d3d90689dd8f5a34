// Service-account tokens, as Kubernetes' pkg/serviceaccount: the issuer that signs a token's claims
// (iss, sub system:serviceaccount:NS:NAME, aud, exp, iat, nbf, jti, and kubernetes.io with the
// namespace, the account, and the pod or secret it is bound to, plus the pod's node), and the
// authenticator that accepts them: a signature by one of the keys, our issuer, one of the API
// server's audiences, within exp/nbf (one minute's leeway), and an account — and bound object —
// that still exists with the uid in the token. The user is system:serviceaccount:NS:NAME in
// system:serviceaccounts and system:serviceaccounts:NS.

import { randomUUID, type KeyObject } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../util/clock.js';
import type { ServerRequest } from '../serving/types.js';
import { bearerToken } from './bearer.js';
import { signJwt, unverifiedPayload, verifyJwt, type JwtPayload } from './jws.js';
import type { Authenticator, UserInfo } from './types.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const LEEWAY_S = 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

/** What a token may be bound to. */
export interface BoundObjects {
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
}

/** Live reads of the objects a token names (undefined: not found). */
export interface ServiceAccountTokenGetter {
  getServiceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  getPod(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface ServiceAccountTokenIssuerOptions {
  issuer: string;
  privateKey: KeyObject;
  keyId: string;
  clock: Clock;
  /** The token's jti; a random UUID by default. */
  newId?: () => string;
}

const refOf = (obj: KubeObject): ObjectRef => ({ name: obj.metadata?.name ?? '', uid: obj.metadata?.uid ?? '' });

export class ServiceAccountTokenIssuer {
  constructor(private readonly options: ServiceAccountTokenIssuerOptions) {}

  get issuer(): string {
    return this.options.issuer;
  }

  /** A signed token, when it was issued and when it expires (ms since the epoch, whole seconds). */
  issue(sa: KubeObject, bound: BoundObjects, expirationSeconds: number, audiences: readonly string[]): { token: string; issuedAt: number; expiresAt: number } {
    const now = Math.floor(this.options.clock.now() / 1000);
    const namespace = sa.metadata?.namespace ?? '';
    const kubernetes: KubernetesClaims = { namespace, serviceaccount: refOf(sa) };
    if (bound.pod) kubernetes.pod = refOf(bound.pod);
    else if (bound.secret) kubernetes.secret = refOf(bound.secret);
    if (bound.node) kubernetes.node = refOf(bound.node);
    const exp = now + expirationSeconds;
    const payload: JwtPayload = {
      aud: [...audiences],
      exp,
      iat: now,
      iss: this.options.issuer,
      jti: (this.options.newId ?? randomUUID)(),
      'kubernetes.io': kubernetes,
      nbf: now,
      sub: serviceAccountUsername(namespace, sa.metadata?.name ?? ''),
    };
    return { token: signJwt(payload, this.options.privateKey, this.options.keyId), issuedAt: now * 1000, expiresAt: exp * 1000 };
  }
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export interface ServiceAccountAuthenticatorOptions {
  issuer: string;
  /** The audiences the API server accepts (--api-audiences; the issuer by default). */
  audiences: readonly string[];
  /** Verification keys by key id. */
  publicKeys: ReadonlyMap<string, KeyObject>;
  getter: ServiceAccountTokenGetter;
  clock: Clock;
}

function audiencesOf(payload: JwtPayload): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function claimsOf(payload: JwtPayload): KubernetesClaims | undefined {
  const k = payload['kubernetes.io'] as Partial<KubernetesClaims> | undefined;
  if (!k || typeof k !== 'object' || typeof k.namespace !== 'string' || !k.serviceaccount || typeof k.serviceaccount.name !== 'string') return undefined;
  return k as KubernetesClaims;
}

/** The account the token names, checked; undefined (→ 401) when anything is wrong. */
export async function validateServiceAccountToken(token: string, options: ServiceAccountAuthenticatorOptions): Promise<UserInfo | undefined> {
  // Tokens of other issuers are not ours to judge (nor to spend a signature check on).
  if (unverifiedPayload(token)?.iss !== options.issuer) return undefined;
  const payload = verifyJwt(token, options.publicKeys);
  if (!payload) return undefined;
  if (!audiencesOf(payload).some((a) => options.audiences.includes(a))) return undefined;
  const now = options.clock.now() / 1000;
  if (typeof payload.exp !== 'number' || now - LEEWAY_S > payload.exp) return undefined;
  if (typeof payload.nbf === 'number' && now + LEEWAY_S < payload.nbf) return undefined;
  const claims = claimsOf(payload);
  if (!claims) return undefined;
  const { namespace } = claims;
  const deletedBefore = (obj: KubeObject) => {
    const ts = obj.metadata?.deletionTimestamp;
    return ts !== undefined && Date.parse(ts) / 1000 < now - LEEWAY_S;
  };
  const live = (obj: KubeObject | undefined, ref: ObjectRef) => !!obj && !deletedBefore(obj) && obj.metadata?.uid === ref.uid;
  if (!live(await options.getter.getServiceAccount(namespace, claims.serviceaccount.name), claims.serviceaccount)) return undefined;
  if (claims.secret && !live(await options.getter.getSecret(namespace, claims.secret.name), claims.secret)) return undefined;
  if (claims.pod && !live(await options.getter.getPod(namespace, claims.pod.name), claims.pod)) return undefined;

  const extra: Record<string, string[]> = {};
  if (claims.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [claims.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [claims.pod.uid];
  }
  if (claims.node) {
    extra['authentication.kubernetes.io/node-name'] = [claims.node.name];
    if (claims.node.uid) extra['authentication.kubernetes.io/node-uid'] = [claims.node.uid];
  }
  if (typeof payload.jti === 'string' && payload.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${payload.jti}`];
  const user: UserInfo = {
    name: serviceAccountUsername(namespace, claims.serviceaccount.name),
    uid: claims.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** Authenticates `Authorization: Bearer <service-account JWT>`. */
export function createServiceAccountAuthenticator(options: ServiceAccountAuthenticatorOptions): Authenticator {
  return {
    authenticate(req: ServerRequest) {
      const token = bearerToken(req.headers);
      return token === undefined ? undefined : validateServiceAccountToken(token, options);
    },
  };
}
