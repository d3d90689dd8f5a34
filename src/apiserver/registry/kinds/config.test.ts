import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { StrategyContext } from '../resource.js';
import { configMapStrategy, configmaps, secretStrategy, secrets } from './config.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z', namespace: 'default' };

test('secret stringData is folded into base64 data and removed; type defaults to Opaque', () => {
  const s: Secret = { metadata: { name: 's' }, data: { a: Buffer.from('old').toString('base64') }, stringData: { a: 'new', b: 'héllo' } };
  secretStrategy.defaults!(s);
  assert.equal(s.stringData, undefined);
  assert.equal(s.type, 'Opaque');
  assert.equal(Buffer.from(s.data!['a']!, 'base64').toString(), 'new');
  assert.equal(Buffer.from(s.data!['b']!, 'base64').toString(), 'héllo');
  assert.deepEqual(secretStrategy.validate!(s, ctx), []);
  const cells = (secrets.columns ?? []).map((c) => c.cell(s, 0));
  assert.deepEqual(cells.slice(0, 2), ['Opaque', 2]);
  assert.equal(secrets.fields!['type']!(s), 'Opaque');
});

test('secret keys, required keys per type, immutable type', () => {
  const s: Secret = { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'bad key': 'YQ==' } };
  const msgs = secretStrategy.validate!(s, ctx).map((e) => e.toString());
  assert.deepEqual(msgs, [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
  const old: Secret = { metadata: { name: 's' }, type: 'Opaque' };
  const next: Secret = { metadata: { name: 's' }, type: 'kubernetes.io/basic-auth', data: { username: 'YQ==' } };
  assert.deepEqual(secretStrategy.validateUpdate!(next, old, ctx).map((e) => e.toString()), ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
});

test('immutable secrets and configmaps keep their data', () => {
  const old: ConfigMap = { metadata: { name: 'c' }, immutable: true, data: { a: '1' } };
  const next: ConfigMap = { metadata: { name: 'c' }, immutable: true, data: { a: '2' } };
  assert.deepEqual(configMapStrategy.validateUpdate!(next, old, ctx).map((e) => e.toString()), ['data: Forbidden: field is immutable when `immutable` is set']);
});

test('configmap keys may not appear in both data and binaryData', () => {
  const cm: ConfigMap = { metadata: { name: 'c' }, data: { a: 'x' }, binaryData: { a: 'eA==' } };
  assert.deepEqual(configMapStrategy.validate!(cm, ctx).map((e) => e.toString()), [
    'data[a]: Invalid value: "a": duplicate of key present in binaryData',
    'binaryData[a]: Invalid value: "a": duplicate of key present in data',
  ]);
  assert.equal(configmaps.columns![0]!.cell(cm, 0), 2);
});
