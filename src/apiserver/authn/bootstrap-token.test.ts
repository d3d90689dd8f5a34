import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import type { ServerRequest } from '../serving/types.js';
import { bootstrapTokenUser, createBootstrapTokenAuthenticator } from './bootstrap-token.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const NOW = Date.parse('2026-01-01T00:00:00Z');

function secret(data: Record<string, string>, extra: Partial<Secret> = {}): Secret {
  return {
    metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries({ 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', ...data }).map(([k, v]) => [k, b64(v)])),
    ...extra,
  };
}

describe('bootstrap token authenticator', () => {
  it('authenticates as system:bootstrap:<id> in system:bootstrappers and the extra groups', () => {
    assert.deepEqual(bootstrapTokenUser(secret({ 'auth-extra-groups': 'system:bootstrappers:kite,system:bootstrappers:x' }), 'abcdef', '0123456789abcdef', NOW), {
      name: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:kite', 'system:bootstrappers:x'],
    });
  });

  it('refuses a wrong secret, an expired or unusable token, a bad group, a deleting or mistyped Secret', () => {
    const user = (s: Secret, tokenSecret = '0123456789abcdef') => bootstrapTokenUser(s, 'abcdef', tokenSecret, NOW);
    assert.equal(user(secret({}), '0123456789abcdeX'), undefined);
    assert.equal(user(secret({ expiration: '2025-12-31T23:59:59Z' })), undefined);
    assert.ok(user(secret({ expiration: '2026-01-01T00:00:01Z' })));
    assert.equal(user(secret({ 'usage-bootstrap-authentication': 'false' })), undefined);
    assert.equal(user(secret({ 'auth-extra-groups': 'system:masters' })), undefined);
    assert.equal(user(secret({}, { type: 'Opaque' })), undefined);
    assert.equal(user(secret({}, { metadata: { name: 'bootstrap-token-abcdef', deletionTimestamp: '2026-01-01T00:00:00Z' } })), undefined);
    assert.equal(user(secret({ 'token-id': 'zzzzzz' })), undefined);
  });

  it('looks the Secret up by the token id, and ignores other bearer tokens', async () => {
    const asked: string[] = [];
    const auth = createBootstrapTokenAuthenticator({
      clock: new FakeClock(NOW),
      getSecret: async (name) => {
        asked.push(name);
        return name === 'bootstrap-token-abcdef' ? secret({}) : undefined;
      },
    });
    const req = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as unknown as ServerRequest;
    assert.equal((await auth.authenticate(req('abcdef.0123456789abcdef')))?.name, 'system:bootstrap:abcdef');
    assert.equal(await auth.authenticate(req('zzzzzz.0123456789abcdef')), undefined);
    assert.equal(await auth.authenticate(req('not-a-bootstrap-token')), undefined);
    assert.deepEqual(asked, ['bootstrap-token-abcdef', 'bootstrap-token-zzzzzz']);
  });
});
