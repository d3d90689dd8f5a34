import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupKindString, groupResourceString, groupVersionString, gvkFromAPIVersionAndKind, gvkString, parseGroupVersion } from './schema.js';

test('string forms', () => {
  assert.equal(groupResourceString({ group: '', resource: 'pods' }), 'pods');
  assert.equal(groupResourceString({ group: 'apps', resource: 'deployments' }), 'deployments.apps');
  assert.equal(groupKindString({ group: '', kind: 'Pod' }), 'Pod');
  assert.equal(groupKindString({ group: 'apps', kind: 'Deployment' }), 'Deployment.apps');
  assert.equal(gvkString({ group: '', version: 'v1', kind: 'Event' }), '/v1, Kind=Event');
  assert.equal(groupVersionString({ group: 'apps', version: 'v1' }), 'apps/v1');
  assert.equal(groupVersionString({ group: '', version: 'v1' }), 'v1');
});

test('parseGroupVersion (schema.ParseGroupVersion)', () => {
  assert.deepEqual(parseGroupVersion(''), { group: '', version: '' });
  assert.deepEqual(parseGroupVersion('/'), { group: '', version: '' });
  assert.deepEqual(parseGroupVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(parseGroupVersion('apps/v1'), { group: 'apps', version: 'v1' });
  assert.equal(parseGroupVersion('a/b/c'), undefined);
  assert.deepEqual(gvkFromAPIVersionAndKind('a/b/c', 'K'), { group: '', version: '', kind: 'K' });
  assert.deepEqual(gvkFromAPIVersionAndKind('apps/v1', 'Deployment'), { group: 'apps', version: 'v1', kind: 'Deployment' });
});
