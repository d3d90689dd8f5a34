// Tests for parsePatchBody.

import assert from 'node:assert/strict';
import { it } from 'node:test';

import { PatchError } from './patch-error.js';
import { parsePatchBody } from './parse-patch-body.js';

it('parses JSON and refuses anything else with 400', () => {
  assert.deepEqual(parsePatchBody('[{"op":"remove","path":"/a"}]'), [{ op: 'remove', path: '/a' }]);
  assert.throws(() => parsePatchBody('{nope'), (e: unknown) => e instanceof PatchError && e.code === 400 && /error decoding patch/.test(e.message));
});
