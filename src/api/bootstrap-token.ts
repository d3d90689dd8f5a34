// Bootstrap tokens (kubeadm's and the TLS-bootstrap authenticator's shared format): a token is
// "<id>.<secret>" (6 and 16 characters of [a-z0-9]) and lives as the Secret
// kube-system/bootstrap-token-<id> of type bootstrap.kubernetes.io/token.

import type { Secret } from 'kubernetes-types/core/v1.js';

export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
/** The group every bootstrap token's user is in; extra groups must start with "system:bootstrappers:". */
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface BootstrapToken {
  id: string;
  secret: string;
}

/** Splits "<id>.<secret>", or undefined when the text is not a bootstrap token. */
export function parseBootstrapToken(text: string): BootstrapToken | undefined {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(text);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** A fresh token from `randomBytes` (crypto's, in production). */
export function generateBootstrapToken(randomBytes: (n: number) => Uint8Array): BootstrapToken {
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely
  const pick = (n: number): string => {
    let out = '';
    while (out.length < n) {
      for (const b of randomBytes(n)) if (b < 252 && out.length < n) out += ALPHABET[b % 36];
    }
    return out;
  };
  return { id: pick(6), secret: pick(16) };
}

export interface BootstrapTokenSecretOptions {
  /** RFC 3339 time after which the token no longer authenticates. */
  expiration?: string;
  description?: string;
  /** Extra groups ("system:bootstrappers:…"). */
  extraGroups?: readonly string[];
}

/** The Secret that makes `token` usable for authentication (and signing, as kubeadm writes it). */
export function bootstrapTokenSecret(token: BootstrapToken, options: BootstrapTokenSecretOptions = {}): Secret {
  const data: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
  };
  if (options.expiration) data.expiration = options.expiration;
  if (options.description) data.description = options.description;
  if (options.extraGroups?.length) data['auth-extra-groups'] = options.extraGroups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BOOTSTRAP_TOKEN_SECRET_PREFIX + token.id, namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    stringData: data,
  };
}
