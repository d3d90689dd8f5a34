import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertAcceptable } from './accept.js';

const notAcceptable = (err: unknown) => (err as { code?: number }).code === 406;

it('answers an Accept of only protobuf with 406, and serves JSON to everything else', () => {
  assert.throws(() => assertAcceptable('application/vnd.kubernetes.protobuf'), notAcceptable);
  assert.throws(() => assertAcceptable('application/vnd.kubernetes.protobuf;stream=watch'), notAcceptable);
  assert.throws(() => assertAcceptable('application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/vnd.kubernetes.protobuf'), notAcceptable);
  for (const ok of [undefined, '', '*/*', 'application/json', 'application/vnd.kubernetes.protobuf,application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json']) {
    assert.doesNotThrow(() => assertAcceptable(ok), String(ok));
  }
});
