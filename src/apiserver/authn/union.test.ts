import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerRequest } from '../serving/types.js';
import type { Authenticator, UserInfo } from './types.js';
import { createUnionAuthenticator } from './union.js';

const req = { headers: {}, socket: {} } as unknown as ServerRequest;
const fixed = (user: UserInfo | undefined): Authenticator => ({ authenticate: () => user });
const later = (user: UserInfo | undefined): Authenticator => ({ authenticate: async () => user });

test('the first authenticator that knows the user wins; system:authenticated is added once', async () => {
  const alice: UserInfo = { name: 'alice', groups: ['dev'] };
  const union = createUnionAuthenticator([fixed(undefined), later(undefined), fixed(alice), fixed({ name: 'bob', groups: [] })]);
  const user = await union.authenticate(req);
  assert.deepEqual(user, { name: 'alice', groups: ['dev', 'system:authenticated'] });
  assert.equal(await union.authenticate(req), user, 'the augmented user is reused');
  assert.deepEqual(alice.groups, ['dev'], 'the source user is not modified');
  const sync = createUnionAuthenticator([fixed(undefined), fixed({ name: 'c', groups: ['system:authenticated'] })]);
  assert.deepEqual(sync.authenticate(req), { name: 'c', groups: ['system:authenticated'] });
});

test('nobody knows the user → undefined (or system:anonymous when enabled and no credentials)', async () => {
  assert.equal(createUnionAuthenticator([fixed(undefined), later(undefined)]).authenticate(req) instanceof Promise, true);
  assert.equal(await createUnionAuthenticator([fixed(undefined), later(undefined)]).authenticate(req), undefined);
  assert.deepEqual(createUnionAuthenticator([], { anonymous: true }).authenticate(req), { name: 'system:anonymous', groups: ['system:unauthenticated'] });
  const withHeader = { headers: { authorization: 'Bearer x' }, socket: {} } as unknown as ServerRequest;
  assert.equal(createUnionAuthenticator([], { anonymous: true }).authenticate(withHeader), undefined);
});
