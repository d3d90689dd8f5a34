import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOTSTRAP_TOKEN_PATTERN, bootstrapTokenSecret, generateBootstrapToken, parseBootstrapToken } from './bootstrap-token.js';

describe('bootstrap tokens', () => {
  it('parses "<id>.<secret>" and nothing else', () => {
    assert.deepEqual(parseBootstrapToken('abcdef.0123456789abcdef'), { id: 'abcdef', secret: '0123456789abcdef' });
    for (const bad of ['abcdef0123456789abcdef', 'ABCDEF.0123456789abcdef', 'abcde.0123456789abcdef', 'abcdef.0123456789abcde', 'abcdef.0123456789abcdef0', '']) {
      assert.equal(parseBootstrapToken(bad), undefined, bad);
    }
  });

  it('generates tokens of the right shape, skipping bytes that would bias the alphabet', () => {
    let calls = 0;
    // first call: only bytes >= 252, which must all be skipped
    const bytes = (n: number) => (calls++ === 0 ? new Uint8Array(n).fill(255) : Uint8Array.from({ length: n }, (_, i) => i * 7));
    const token = generateBootstrapToken(bytes);
    assert.match(`${token.id}.${token.secret}`, BOOTSTRAP_TOKEN_PATTERN);
    assert.equal(token.id, 'ahov29');
  });

  it('makes the kube-system Secret kubeadm writes', () => {
    const secret = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' }, { expiration: '2030-01-01T00:00:00Z', extraGroups: ['system:bootstrappers:kite'] });
    assert.equal(secret.metadata?.name, 'bootstrap-token-abcdef');
    assert.equal(secret.metadata?.namespace, 'kube-system');
    assert.equal(secret.type, 'bootstrap.kubernetes.io/token');
    assert.deepEqual(secret.stringData, {
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      expiration: '2030-01-01T00:00:00Z',
      'auth-extra-groups': 'system:bootstrappers:kite',
    });
  });
});
