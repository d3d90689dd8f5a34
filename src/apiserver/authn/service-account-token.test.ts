// Service-account tokens on a fake clock: what the issuer signs, and everything the authenticator
// refuses — expiry and nbf (one minute's leeway), audience, issuer, signature, a deleted or
// recreated account, a deleted or recreated bound pod or secret.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../util/clock.js';
import { keyIdOf } from '../../util/pki/index.js';
import { signJwt, verifyJwt } from './jws.js';
import { DEFAULT_ISSUER, ServiceAccountTokenIssuer, validateServiceAccountToken, type ServiceAccountAuthenticatorOptions } from './service-account-token.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyId = keyIdOf(publicKey);

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const objects = new Map<string, KubeObject>();
  const put = (kind: string, name: string, uid: string, extra: Partial<NonNullable<KubeObject['metadata']>> = {}) =>
    objects.set(`${kind}/${name}`, { metadata: { namespace: 'ns', name, uid, ...extra } });
  put('sa', 'app', 'sa-1');
  put('pod', 'p', 'pod-1');
  put('secret', 's', 'secret-1');
  const options: ServiceAccountAuthenticatorOptions = {
    issuer: DEFAULT_ISSUER,
    audiences: [DEFAULT_ISSUER],
    publicKeys: new Map([[keyId, publicKey]]),
    clock,
    getter: {
      getServiceAccount: async (_ns, name) => objects.get(`sa/${name}`),
      getPod: async (_ns, name) => objects.get(`pod/${name}`),
      getSecret: async (_ns, name) => objects.get(`secret/${name}`),
    },
  };
  const issuer = new ServiceAccountTokenIssuer({ issuer: DEFAULT_ISSUER, privateKey, keyId, clock, newId: () => 'id-1' });
  const sa = () => objects.get('sa/app')!;
  return { clock, objects, put, options, issuer, sa, check: (token: string) => validateServiceAccountToken(token, options) };
}

describe('service-account tokens', () => {
  it('signs Kubernetes claims and authenticates the account, with the bound pod and node as extra', async () => {
    const { issuer, sa, objects, check, clock } = setup();
    const { token, expiresAt } = issuer.issue(sa(), { pod: objects.get('pod/p'), node: { metadata: { name: 'n1', uid: 'node-1' } } }, 3600, [DEFAULT_ISSUER]);
    assert.equal(expiresAt, clock.now() + 3600_000);
    const claims = verifyJwt(token, new Map([[keyId, publicKey]]))!;
    const now = clock.now() / 1000;
    assert.deepEqual(claims, {
      aud: [DEFAULT_ISSUER],
      exp: now + 3600,
      iat: now,
      iss: DEFAULT_ISSUER,
      jti: 'id-1',
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'app', uid: 'sa-1' }, pod: { name: 'p', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } },
      nbf: now,
      sub: 'system:serviceaccount:ns:app',
    });
    assert.deepEqual(await check(token), {
      name: 'system:serviceaccount:ns:app',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['p'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
        'authentication.kubernetes.io/node-name': ['n1'],
        'authentication.kubernetes.io/node-uid': ['node-1'],
        'authentication.kubernetes.io/credential-id': ['JTI=id-1'],
      },
    });
  });

  it('refuses a token past exp (after a minute of leeway) or before nbf', async () => {
    const { issuer, sa, check, clock } = setup();
    const { token } = issuer.issue(sa(), {}, 600, [DEFAULT_ISSUER]);
    await clock.step(600_000 + 60_000);
    assert.ok(await check(token), 'within the leeway');
    await clock.step(1000);
    assert.equal(await check(token), undefined);
    const early = signJwt({ iss: DEFAULT_ISSUER, aud: [DEFAULT_ISSUER], nbf: clock.now() / 1000 + 120, exp: clock.now() / 1000 + 1200, 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'app', uid: 'sa-1' } } }, privateKey, keyId);
    assert.equal(await check(early), undefined);
  });

  it('refuses another audience, another issuer, another key and a tampered payload', async () => {
    const { issuer, sa, check, clock } = setup();
    assert.equal(await check(issuer.issue(sa(), {}, 3600, ['vault']).token), undefined);
    assert.ok(await check(issuer.issue(sa(), {}, 3600, ['vault', DEFAULT_ISSUER]).token), 'one of the audiences is ours');
    const other = new ServiceAccountTokenIssuer({ issuer: 'https://elsewhere', privateKey, keyId, clock });
    assert.equal(await check(other.issue(sa(), {}, 3600, [DEFAULT_ISSUER]).token), undefined);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    assert.equal(await check(new ServiceAccountTokenIssuer({ issuer: DEFAULT_ISSUER, privateKey: stranger, keyId, clock }).issue(sa(), {}, 3600, [DEFAULT_ISSUER]).token), undefined);
    const [h, p, s] = issuer.issue(sa(), {}, 3600, [DEFAULT_ISSUER]).token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
    assert.equal(await check(`${h}.${forged}.${s}`), undefined);
    assert.equal(await check('not-a-jwt'), undefined);
  });

  it('refuses tokens whose account, pod or secret is gone, recreated, or long deleting', async () => {
    const { issuer, sa, objects, put, check, clock } = setup();
    const plain = issuer.issue(sa(), {}, 3600, [DEFAULT_ISSUER]).token;
    const bound = issuer.issue(sa(), { pod: objects.get('pod/p') }, 3600, [DEFAULT_ISSUER]).token;
    const bySecret = issuer.issue(sa(), { secret: objects.get('secret/s') }, 3600, [DEFAULT_ISSUER]).token;
    assert.ok(await check(bound));
    assert.ok(await check(bySecret));
    put('pod', 'p', 'pod-2');
    assert.equal(await check(bound), undefined, 'the pod was recreated');
    objects.delete('pod/p');
    assert.equal(await check(bound), undefined, 'the pod is gone');
    objects.delete('secret/s');
    assert.equal(await check(bySecret), undefined, 'the secret is gone');
    put('sa', 'app', 'sa-1', { deletionTimestamp: new Date(clock.now()).toISOString() });
    assert.ok(await check(plain), 'deleting for less than the leeway');
    await clock.step(61_000);
    assert.equal(await check(plain), undefined, 'deleting for longer');
    put('sa', 'app', 'sa-2');
    assert.equal(await check(plain), undefined, 'the account was recreated');
    objects.delete('sa/app');
    assert.equal(await check(plain), undefined, 'the account is gone');
  });

  it('signs and verifies with RSA keys too (RS256)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signJwt({ a: 1 }, rsa.privateKey, 'k');
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, 'RS256');
    assert.deepEqual(verifyJwt(token, new Map([['k', rsa.publicKey]])), { a: 1 });
    assert.equal(verifyJwt(token, new Map([['k', publicKey]])), undefined, 'an EC key does not verify RS256');
  });
});
