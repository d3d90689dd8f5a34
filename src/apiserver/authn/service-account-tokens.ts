// The API server's service-account token setup in one place: from the signing key, the issuer and
// the accepted audiences, the issuer that signs TokenRequests, the authenticator that accepts the
// tokens, and the OIDC discovery documents Kubernetes serves at /.well-known/openid-configuration
// and /openid/v1/jwks (so that other parties can verify the tokens).

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../util/clock.js';
import { keyIdOf } from '../../util/pki/index.js';
import { algorithmOf } from './jws.js';
import {
  ServiceAccountTokenIssuer,
  createServiceAccountAuthenticator,
  type ServiceAccountTokenGetter,
} from './service-account-token.js';
import type { Authenticator } from './types.js';

export interface ServiceAccountTokenConfig {
  /** --service-account-issuer; DEFAULT_ISSUER as Kubernetes. */
  issuer: string;
  /** --api-audiences; [issuer] when empty. */
  audiences?: readonly string[];
  /** --service-account-signing-key-file's key. */
  signingKey: KeyObject;
  /** Further keys tokens may be signed with (--service-account-key-file); the signing key's public half is always accepted. */
  extraPublicKeys?: readonly KeyObject[];
  /** --service-account-jwks-uri; ISSUER/openid/v1/jwks by default. */
  jwksUri?: string;
}

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export class ServiceAccountTokens {
  readonly issuer: ServiceAccountTokenIssuer;
  readonly authenticator: Authenticator;
  readonly audiences: readonly string[];
  private readonly publicKeys: Map<string, KeyObject>;

  constructor(
    private readonly config: ServiceAccountTokenConfig,
    clock: Clock,
    getter: ServiceAccountTokenGetter,
  ) {
    const signingPublic = createPublicKey(config.signingKey);
    const keyId = keyIdOf(signingPublic);
    this.publicKeys = new Map([[keyId, signingPublic]]);
    for (const key of config.extraPublicKeys ?? []) this.publicKeys.set(keyIdOf(key), key);
    this.audiences = config.audiences?.length ? [...config.audiences] : [config.issuer];
    this.issuer = new ServiceAccountTokenIssuer({ issuer: config.issuer, privateKey: config.signingKey, keyId, clock });
    this.authenticator = createServiceAccountAuthenticator({ issuer: config.issuer, audiences: this.audiences, publicKeys: this.publicKeys, getter, clock });
  }

  /** The OpenID provider configuration document. */
  openidConfiguration(): Record<string, unknown> {
    const algs = [...new Set([...this.publicKeys.values()].map((k) => algorithmOf(k).alg))].sort();
    return {
      issuer: this.config.issuer,
      jwks_uri: this.config.jwksUri ?? `${this.config.issuer.replace(/\/+$/, '')}${JWKS_PATH}`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
    };
  }

  /** The verification keys as a JSON Web Key Set. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return {
      keys: [...this.publicKeys].map(([kid, key]) => ({ use: 'sig', ...key.export({ format: 'jwk' }), kid, alg: algorithmOf(key).alg })),
    };
  }
}
