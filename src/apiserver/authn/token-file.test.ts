import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerRequest } from '../serving/types.js';
import { bearerToken } from './bearer.js';
import { createTokenAuthenticator, parseCsv, parseTokenFile } from './token-file.js';

test('parses the --token-auth-file CSV format', () => {
  const tokens = parseTokenFile('\ufefft1,alice,u1\r\nt2,bob,u2,"g1,g2"\n\n"t,3",carol,u3,"",extra\n');
  assert.deepEqual(Object.fromEntries(tokens), {
    t1: { name: 'alice', uid: 'u1', groups: [] },
    t2: { name: 'bob', uid: 'u2', groups: ['g1', 'g2'] },
    't,3': { name: 'carol', uid: 'u3', groups: [] },
  });
  assert.throws(() => parseTokenFile('t1,alice\n'), /at least 3 columns/);
  assert.throws(() => parseTokenFile('"t1,alice,u1\n'), /unterminated/);
  assert.deepEqual(parseCsv('a,"b ""q"" c"\nd'), [['a', 'b "q" c'], ['d']]);
});

test('bearer tokens are read the way Kubernetes reads them', () => {
  assert.equal(bearerToken({ authorization: 'Bearer abc' }), 'abc');
  assert.equal(bearerToken({ authorization: 'bearer abc extra' }), 'abc');
  assert.equal(bearerToken({ authorization: 'Bearer ' }), undefined);
  assert.equal(bearerToken({ authorization: 'Basic abc' }), undefined);
  assert.equal(bearerToken({}), undefined);
  const authn = createTokenAuthenticator(parseTokenFile('abc,alice,u1\n'));
  assert.equal((authn.authenticate({ headers: { authorization: 'Bearer abc' } } as ServerRequest) as { name: string }).name, 'alice');
  assert.equal(authn.authenticate({ headers: { authorization: 'Bearer abd' } } as ServerRequest), undefined);
});
