import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as field from './field-errors.js';
import { path } from './field-errors.js';
import * as E from './status-errors.js';
import * as P from './status-predicates.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

test('NotFound', () => {
  const e = E.newNotFound(pods, 'x');
  assert.deepEqual(e.status, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'pods "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'pods' }, code: 404,
  });
  assert.equal(E.newNotFound(deployments, 'x').message, 'deployments.apps "x" not found');
  assert.deepEqual(E.newNotFound(deployments, 'x').status.details, { name: 'x', group: 'apps', kind: 'deployments' });
  assert.ok(P.isNotFound(e));
  assert.ok(!P.isConflict(e));
});

test('AlreadyExists and GenerateNameConflict', () => {
  const e = E.newAlreadyExists(pods, 'x');
  assert.equal(e.code, 409);
  assert.equal(e.reason, 'AlreadyExists');
  assert.equal(e.message, 'pods "x" already exists');
  assert.ok(P.isAlreadyExists(e));
  const g = E.newGenerateNameConflict(pods, 'x-abcde', 1);
  assert.equal(g.message, 'pods "x-abcde" already exists, the server was not able to generate a unique name for the object');
  assert.equal(g.status.details?.retryAfterSeconds, 1);
});

test('Conflict', () => {
  const e = E.newConflict(pods, 'x', new Error('the object has been modified; please apply your changes to the latest version and try again'));
  assert.equal(e.code, 409);
  assert.equal(e.reason, 'Conflict');
  assert.equal(e.message, 'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again');
  assert.ok(P.isConflict(e));
});

test('Invalid with one and several causes', () => {
  const one = E.newInvalid({ group: '', kind: 'Pod' }, 'x', [field.required(path('spec', 'containers').index(0).child('name'))]);
  assert.equal(one.code, 422);
  assert.equal(one.reason, 'Invalid');
  assert.equal(one.message, 'Pod "x" is invalid: spec.containers[0].name: Required value');
  assert.deepEqual(one.status.details, {
    name: 'x', kind: 'Pod',
    causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].name' }],
  });
  const two = E.newInvalid({ group: 'apps', kind: 'Deployment' }, 'web', [
    field.required(path('spec', 'containers').index(0).child('name')),
    field.invalid(path('metadata', 'name'), 'Foo', 'bad'),
  ]);
  assert.equal(two.message, 'Deployment.apps "web" is invalid: [spec.containers[0].name: Required value, metadata.name: Invalid value: "Foo": bad]');
  assert.equal(two.status.details?.group, 'apps');
  assert.equal(two.status.details?.causes?.length, 2);
  assert.equal(E.newInvalid({ group: '', kind: 'Pod' }, 'x', []).message, 'Pod "x" is invalid');
  assert.ok(P.isInvalid(one));
});

test('simple message errors', () => {
  const cases: Array<[ReturnType<typeof E.newBadRequest>, number, string, string]> = [
    [E.newBadRequest('bad'), 400, 'BadRequest', 'bad'],
    [E.newUnauthorized(), 401, 'Unauthorized', 'not authorized'],
    [E.newUnauthorized('Unauthorized'), 401, 'Unauthorized', 'Unauthorized'],
    [E.newGone('gone'), 410, 'Gone', 'gone'],
    [E.newResourceExpired('too old resource version: 1 (5)'), 410, 'Expired', 'too old resource version: 1 (5)'],
    [E.newRequestEntityTooLarge('limit is 3145728'), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
    [E.newServiceUnavailable('down'), 503, 'ServiceUnavailable', 'down'],
    [E.newTimeout('request did not complete within 60s', 2), 504, 'Timeout', 'Timeout: request did not complete within 60s'],
    [E.newTooManyRequestsError('slow down'), 429, 'TooManyRequests', 'Too many requests: slow down'],
    [E.newNotAcceptable(['application/json', 'application/yaml']), 406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml'],
    [E.newNotAcceptableConversion('Table', ['application/json']), 406, 'NotAcceptable', 'only the following media types are accepted when converting to Table: application/json'],
    [E.newUnsupportedMediaType(['application/json']), 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json'],
  ];
  for (const [e, code, reason, message] of cases) {
    assert.equal(e.code, code, message);
    assert.equal(e.reason, reason, message);
    assert.equal(e.message, message);
  }
  assert.ok(P.isBadRequest(cases[0]![0]));
  assert.ok(P.isUnauthorized(cases[1]![0]));
  assert.ok(P.isGone(cases[3]![0]));
  assert.ok(P.isResourceExpired(cases[4]![0]));
  assert.ok(P.isRequestEntityTooLarge(cases[5]![0]));
  assert.ok(P.isServiceUnavailable(cases[6]![0]));
  assert.ok(P.isTimeout(cases[7]![0]));
  assert.ok(P.isTooManyRequests(cases[8]![0]));
  assert.ok(P.isNotAcceptable(cases[9]![0]));
  assert.ok(P.isUnsupportedMediaType(cases[11]![0]));
});

test('Forbidden message forms', () => {
  const e = E.newForbidden(pods, 'x', new Error('User "bob" cannot get resource "pods"'));
  assert.equal(e.code, 403);
  assert.equal(e.message, 'pods "x" is forbidden: User "bob" cannot get resource "pods"');
  assert.equal(E.newForbidden(pods, '', 'nope').message, 'pods is forbidden: nope');
  assert.equal(E.newForbidden({ group: '', resource: '' }, '', 'nope').message, 'forbidden: nope');
  assert.ok(P.isForbidden(e));
});

test('MethodNotSupported', () => {
  const e = E.newMethodNotSupported({ group: '', resource: 'bindings' }, 'list');
  assert.equal(e.code, 405);
  assert.equal(e.reason, 'MethodNotAllowed');
  assert.equal(e.message, 'list is not supported on resources of kind "bindings"');
  assert.deepEqual(e.status.details, { kind: 'bindings' });
  assert.ok(P.isMethodNotSupported(e));
});

test('TooManyRequests carries retryAfterSeconds', () => {
  const e = E.newTooManyRequests('The system is busy', 1);
  assert.equal(e.code, 429);
  assert.deepEqual(e.status.details, { retryAfterSeconds: 1 });
  assert.equal(P.suggestsClientDelay(e), 1);
  assert.equal(P.suggestsClientDelay(E.newBadRequest('x')), undefined);
});

test('InternalError and ServerTimeout', () => {
  const e = E.newInternalError(new Error('disk on fire'));
  assert.equal(e.code, 500);
  assert.equal(e.message, 'Internal error occurred: disk on fire');
  assert.deepEqual(e.status.details, { causes: [{ message: 'disk on fire' }] });
  assert.ok(P.isInternalError(e));
  const t = E.newServerTimeout(pods, 'get', 2);
  assert.equal(t.code, 500);
  assert.equal(t.reason, 'ServerTimeout');
  assert.equal(t.message, 'The get operation against pods could not be completed at this time, please try again.');
  assert.equal(P.suggestsClientDelay(t), 2);
  assert.ok(P.isServerTimeout(t));
});

test('TooLargeResourceVersion is a 504 Timeout with a ResourceVersionTooLarge cause', () => {
  const e = E.newTooLargeResourceVersion(10, 5, 1);
  assert.equal(e.code, 504);
  assert.equal(e.reason, 'Timeout');
  assert.equal(e.message, 'Timeout: Too large resource version: 10, current: 5');
  assert.deepEqual(e.status.details, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
  assert.ok(P.isTimeout(e));
  assert.ok(P.isTooLargeResourceVersion(e));
  assert.ok(!P.isTooLargeResourceVersion(E.newTimeout('x')));
});

test('predicates fall back to the code for unknown reasons', () => {
  const e = E.newBadRequest('x');
  const odd = new (e.constructor as typeof import('./status.js').StatusError)({ ...e.status, reason: 'Weird', code: 404 });
  assert.ok(P.isNotFound(odd));
  assert.ok(!P.isAlreadyExists(odd));
  assert.equal(P.reasonForError(new Error('x')), '');
  assert.ok(!P.isNotFound(new Error('x')));
});
