// The OIDC discovery documents of the service-account token setup: the issuer, the JWKS URI and
// every verification key (the signing key's and extra ones) with its kid and algorithm.

import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { test } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { keyIdOf } from '../../util/pki/index.js';
import { verifyJwt } from './jws.js';
import { DEFAULT_ISSUER } from './service-account-token.js';
import { ServiceAccountTokens } from './service-account-tokens.js';

test('publishes the issuer and every verification key; tokens verify against the published keys', () => {
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const old = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const none = async () => undefined;
  const tokens = new ServiceAccountTokens(
    { issuer: DEFAULT_ISSUER, signingKey: signing.privateKey, extraPublicKeys: [old.publicKey] },
    new FakeClock(),
    { getServiceAccount: none, getPod: none, getSecret: none },
  );
  assert.deepEqual(tokens.audiences, [DEFAULT_ISSUER], 'the issuer is the default audience');
  assert.deepEqual(tokens.openidConfiguration(), {
    issuer: DEFAULT_ISSUER,
    jwks_uri: `${DEFAULT_ISSUER}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256', 'RS256'],
  });
  const { keys } = tokens.jwks();
  assert.deepEqual(keys.map((k) => [k.kid, k.alg, k.use, k.kty]), [
    [keyIdOf(signing.publicKey), 'ES256', 'sig', 'EC'],
    [keyIdOf(old.publicKey), 'RS256', 'sig', 'RSA'],
  ]);
  assert.equal(keys.some((k) => 'd' in k), false, 'no private parts');
  const published = new Map(keys.map((k) => [k.kid as string, createPublicKey({ key: k as JsonWebKey, format: 'jwk' })]));
  const { token } = tokens.issuer.issue({ metadata: { namespace: 'ns', name: 'sa', uid: 'u' } }, {}, 600, tokens.audiences);
  assert.equal(verifyJwt(token, published)?.sub, 'system:serviceaccount:ns:sa');
});
