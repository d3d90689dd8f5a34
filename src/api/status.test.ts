import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, failureStatus, fromStatus, isStatusError, statusOf } from './status.js';
import { newNotFound } from './status-errors.js';

test('failureStatus serializes like metav1.Status', () => {
  const s = failureStatus(404, 'NotFound', 'pods "x" not found', { name: 'x', group: '', kind: 'pods' });
  assert.equal(
    JSON.stringify(s),
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}',
  );
});

test('StatusError exposes message, code and reason', () => {
  const e = newNotFound({ group: '', resource: 'pods' }, 'x');
  assert.ok(e instanceof Error);
  assert.ok(isStatusError(e));
  assert.equal(e.message, 'pods "x" not found');
  assert.equal(e.code, 404);
  assert.equal(e.reason, 'NotFound');
  assert.equal(isStatusError(new Error('x')), false);
  assert.equal(isStatusError('x'), false);
});

test('statusOf returns a StatusError status as a copy', () => {
  const e = newNotFound({ group: 'apps', resource: 'deployments' }, 'web');
  const s = statusOf(e);
  assert.deepEqual(s, e.status);
  s.message = 'changed';
  assert.equal(e.status.message, 'deployments.apps "web" not found');
});

test('statusOf fills code defaults', () => {
  const e = fromStatus({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 0 });
  assert.equal(statusOf(e).code, 500);
});

test('statusOf turns unknown errors into 500 InternalError without stacks', () => {
  const err = new TypeError('cannot read x');
  const s = statusOf(err);
  assert.equal(s.code, 500);
  assert.equal(s.reason, 'InternalError');
  assert.equal(s.message, 'Internal error occurred: cannot read x');
  assert.deepEqual(s.details, { causes: [{ message: 'cannot read x' }] });
  assert.ok(!JSON.stringify(s).includes('at '), 'no stack trace');
  assert.equal(statusOf('plain').message, 'Internal error occurred: plain');
  assert.equal(statusOf(42).message, 'Internal error occurred: 42');
  assert.equal(statusOf(undefined).message, 'Internal error occurred: undefined');
});

test('StatusError round-trips through JSON via fromStatus', () => {
  const e = newNotFound({ group: '', resource: 'pods' }, 'x');
  const back = fromStatus(JSON.parse(JSON.stringify(e.status)));
  assert.ok(back instanceof StatusError);
  assert.deepEqual(back.status, e.status);
});
