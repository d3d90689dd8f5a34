import { test } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../field-errors.js';
import type { ObjectMeta } from '../object.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName } from './generic.js';
import {
  TOTAL_ANNOTATION_SIZE_LIMIT_B, annotationsSizeError, validateAnnotations, validateFinalizers, validateObjectMeta,
  validateObjectMetaUpdate, validateOwnerReferences,
} from './object-meta.js';

const meta = path('metadata');
const namespaced = { namespaced: true, nameValidator: nameIsDNSSubdomain };
const cluster = { namespaced: false, nameValidator: nameIsDNSSubdomain };
const msgs = (m: ObjectMeta, o = namespaced): string[] => validateObjectMeta(m, o, meta).map(String);

test('a valid object has no errors', () => {
  assert.deepEqual(msgs({ name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'example.com/x': 'y' } }), []);
  // the REST store fills name from generateName before validating, so both are present here
  assert.deepEqual(msgs({ generateName: 'web-', name: 'web-x7k2p', namespace: 'default' }), []);
  assert.deepEqual(msgs({ name: 'node-1' }, cluster), []);
});

test('name or generateName is required', () => {
  assert.deepEqual(msgs({ namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']);
});

test('invalid names report the validator message', () => {
  assert.deepEqual(msgs({ name: 'Foo', namespace: 'default' }), [
    `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
});

test('generateName prefixes may end in a dash but are otherwise validated', () => {
  assert.deepEqual(msgs({ generateName: 'ok-', name: 'ok-abcde', namespace: 'd' }), []);
  const errs = validateObjectMeta({ generateName: 'Bad-', namespace: 'd' }, namespaced, meta);
  assert.equal(errs.length, 2);
  assert.equal(errs[0]!.field, 'metadata.generateName');
  assert.equal(errs[1]!.field, 'metadata.name');
  // a custom validator sees prefix=true for generateName (TestValidateObjectMetaCustomName)
  const seen: Array<[string, boolean]> = [];
  validateObjectMeta({ generateName: 'foo' }, { namespaced: false, nameValidator: (n, p) => { seen.push([n, p]); return ['name-gen']; } }, meta);
  assert.deepEqual(seen, [['foo', true]]);
  assert.ok(validateObjectMeta({ generateName: 'foo' }, { namespaced: false, nameValidator: () => ['name-gen'] }, meta)[0]!.toString().includes('name-gen'));
});

test('namespace required iff namespaced', () => {
  assert.deepEqual(msgs({ name: 'x' }), ['metadata.namespace: Required value']);
  assert.deepEqual(msgs({ name: 'x', namespace: 'a' }, cluster), ['metadata.namespace: Forbidden: not allowed on this type']);
  const ns = msgs({ name: 'test', namespace: 'foo.bar' });
  assert.equal(ns.length, 1);
  assert.ok(ns[0]!.includes('Invalid value: "foo.bar"'));
  assert.ok(ns[0]!.endsWith('must not contain dots'));
  assert.equal(msgs({ name: 'test', namespace: 'a'.repeat(64) }).length, 1);
});

test('generation must be non-negative', () => {
  assert.deepEqual(msgs({ name: 'x', namespace: 'd', generation: -1 }), ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']);
});

test('labels are validated key and value', () => {
  const m = msgs({ name: 'x', namespace: 'd', labels: { 'bad key!': 'ok', good: '-bad' } });
  assert.equal(m.length, 2);
  assert.ok(m[0]!.startsWith('metadata.labels: Invalid value: "bad key!": name part must consist of'));
  assert.ok(m[1]!.startsWith('metadata.labels: Invalid value: "-bad": a valid label must be an empty string'));
});

test('annotations: keys lower-cased then checked; total size 256 KiB', () => {
  assert.deepEqual(validateAnnotations({ 'Example.com/Key': 'v' }, path('a')), []);
  const bad = validateAnnotations({ 'a/b/c': 'v' }, path('metadata', 'annotations'));
  assert.equal(bad.length, 1);
  assert.equal(bad[0]!.badValue, 'a/b/c');
  const big = { a: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B) };
  assert.equal(annotationsSizeError(big), 'annotations size 262145 is larger than limit 262144');
  assert.deepEqual(validateAnnotations(big, path('metadata', 'annotations')).map(String), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
  assert.equal(annotationsSizeError({ a: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B - 1) }), undefined);
});

test('owner references need apiVersion, kind, name, uid', () => {
  const p = path('metadata', 'ownerReferences');
  assert.deepEqual(validateOwnerReferences([{ apiVersion: '', kind: '', name: '', uid: '' }], p).map(String), [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
  assert.deepEqual(validateOwnerReferences([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }], p), []);
  assert.equal(validateOwnerReferences([{ apiVersion: 'a/b/c', kind: 'K', name: 'n', uid: 'u' }], p)[0]!.detail, 'version must not be empty');
  const ev = validateOwnerReferences([{ apiVersion: 'v1', kind: 'Event', name: 'n', uid: 'u' }], p);
  assert.equal(ev[0]!.detail, '/v1, Kind=Event is disallowed from being an owner');
  const two = validateOwnerReferences([
    { apiVersion: 'customresourceVersion', kind: 'customresourceKind1', name: 'name', uid: '1' },
    { apiVersion: 'customresourceVersion', kind: 'customresourceKind2', name: 'name', uid: '2', controller: true },
    { apiVersion: 'customresourceVersion', kind: 'customresourceKind3', name: 'name', uid: '3', controller: true },
  ], p);
  assert.equal(two.length, 1);
  assert.equal(two[0]!.detail,
    'Only one reference can have Controller set to true. Found "true" in references for customresourceKind2/name and customresourceKind3/name');
});

test('finalizers are qualified names; orphan and foregroundDeletion conflict', () => {
  const p = path('metadata', 'finalizers');
  assert.deepEqual(validateFinalizers(['kubernetes.io/pvc-protection', 'orphan'], p), []);
  assert.equal(validateFinalizers(['a/b/c'], p).length, 1);
  const both = validateFinalizers(['orphan', 'foregroundDeletion'], p);
  assert.equal(both.length, 1);
  assert.ok(both[0]!.toString().endsWith('finalizer orphan and foregroundDeletion cannot be both set'));
});

test('managed fields', () => {
  const errs = validateObjectMeta({ name: 'x', namespace: 'd', managedFields: [{ operation: 'Bogus', fieldsType: 'FieldsV2', manager: 'm' }] }, namespaced, meta);
  assert.deepEqual(errs.map(String), [
    'metadata.managedFields[0].operation: Invalid value: "Bogus": must be `Apply` or `Update`',
    'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
  ]);
  const ctl = validateObjectMeta({ name: 'x', namespace: 'd', managedFields: [{ operation: 'Update', manager: 'a\x07' }] }, namespaced, meta);
  assert.deepEqual(ctl.map(String), ['metadata.managedFields[0].manager: Invalid value: "a\\a": invalid character U+0007 (at position 1)']);
});

test('update: immutable fields, resourceVersion, generation, finalizers while deleting', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '1', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, resourceVersion: '1' }, old, meta), []);
  const errs = validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2', resourceVersion: '', generation: 1 }, old, meta).map(String);
  assert.deepEqual(errs, [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    'metadata.generation: Invalid value: 1: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a'] };
  const fin = validateObjectMetaUpdate({ ...deleting, finalizers: ['a', 'z', 'b'] }, deleting, meta).map(String);
  assert.deepEqual(fin, ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "z"}']);
  const dts = validateObjectMetaUpdate({ ...old, deletionGracePeriodSeconds: 30 }, old, meta).map(String);
  assert.deepEqual(dts, ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable']);
});

test('name validators', () => {
  assert.deepEqual(nameIsDNSLabel('abc-', true), []);
  assert.deepEqual(nameIsDNSLabel('abc-', false).length, 1);
  assert.deepEqual(nameIsDNSSubdomain('a.b-', true), []);
  assert.deepEqual(validatePathSegmentName('..', false), ["may not be '..'"]);
  assert.deepEqual(validatePathSegmentName('a/b%', false), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(validatePathSegmentName('..', true), []);
});
