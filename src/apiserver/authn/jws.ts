// Compact JWS (RFC 7515) signing and verification with Node's crypto, for service-account
// tokens: ES256/ES384/ES512 for EC keys (IEEE P1363 signatures, as JWS wants) and RS256 for RSA.

import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

export type JwtPayload = Record<string, unknown>;

const EC_ALGS: Record<string, { alg: string; hash: string }> = {
  prime256v1: { alg: 'ES256', hash: 'sha256' },
  secp384r1: { alg: 'ES384', hash: 'sha384' },
  secp521r1: { alg: 'ES512', hash: 'sha512' },
};

/** The JWS algorithm and digest for a key. */
export function algorithmOf(key: KeyObject): { alg: string; hash: string } {
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256', hash: 'sha256' };
  const ec = key.asymmetricKeyType === 'ec' ? EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!ec) throw new Error(`unsupported signing key type ${key.asymmetricKeyType ?? '?'}`);
  return ec;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** header.payload.signature, signed with the private key; kid names the key. */
export function signJwt(payload: JwtPayload, privateKey: KeyObject, keyId: string): string {
  const { alg, hash } = algorithmOf(privateKey);
  const input = `${b64({ alg, kid: keyId })}.${b64(payload)}`;
  const signature = cryptoSign(hash, Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** The payload of a compact JWS without checking its signature; undefined if it is not one. */
export function unverifiedPayload(token: string): JwtPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as JwtPayload) : undefined;
  } catch {
    return undefined;
  }
}

/** The payload when some key (by kid when the header names one) verifies the signature. */
export function verifyJwt(token: string, publicKeys: ReadonlyMap<string, KeyObject>): JwtPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
  } catch {
    return undefined;
  }
  const candidates = typeof header.kid === 'string' && header.kid ? [publicKeys.get(header.kid)] : [...publicKeys.values()];
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  for (const key of candidates) {
    if (!key) continue;
    const { alg, hash } = algorithmOf(key);
    if (header.alg !== alg) continue;
    if (cryptoVerify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature)) return unverifiedPayload(token);
  }
  return undefined;
}
