// The service-account signing key pair in a PKI directory: created, reused, replaced by the operator.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { keyIdOf, loadOrCreateServiceAccountKey, loadVerificationKeys } from './service-account-key.js';

test('the service-account key is created once, reused after, and an RSA key of the operator is accepted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-sa-key-'));
  try {
    const first = await loadOrCreateServiceAccountKey(dir);
    assert.equal(first.privateKey.asymmetricKeyType, 'ec');
    assert.equal(statSync(first.paths.key).mode & 0o777, 0o600);
    assert.match(readFileSync(first.paths.pub, 'utf8'), /BEGIN PUBLIC KEY/);
    assert.match(first.keyId, /^[A-Za-z0-9_-]{43}$/);
    const again = await loadOrCreateServiceAccountKey(dir);
    assert.equal(again.keyId, first.keyId);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(first.paths.key, rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const operator = await loadOrCreateServiceAccountKey(dir);
    assert.equal(operator.privateKey.asymmetricKeyType, 'rsa');
    assert.notEqual(operator.keyId, first.keyId);
    assert.equal(readFileSync(first.paths.pub, 'utf8'), rsa.publicKey.export({ type: 'spki', format: 'pem' }), 'sa.pub follows the key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verification keys are read from PEM files of public and private keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-sa-keys-'));
  try {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const both = join(dir, 'both.pem');
    writeFileSync(both, `${ec.publicKey.export({ type: 'spki', format: 'pem' })}\n${rsa.privateKey.export({ type: 'pkcs1', format: 'pem' })}`);
    const keys = await loadVerificationKeys([both]);
    assert.deepEqual(keys.map(keyIdOf), [keyIdOf(ec.publicKey), keyIdOf(rsa.publicKey)]);
    assert.equal(keys[1]?.type, 'public');
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'nothing here');
    await assert.rejects(loadVerificationKeys([empty]), /no public or private key found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
