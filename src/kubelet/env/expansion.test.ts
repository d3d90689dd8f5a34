import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expand, expandCommandOnlyStatic, expandContainerCommand, mappingFor } from './expansion.js';

describe('expand', () => {
  const mapping = mappingFor(new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_EMPTY', '']]), new Map([['SVC', 's'], ['VAR_A', 'shadowed']]));
  // Cases from Kubernetes' expansion_test.go.
  const cases: Array<[string, string]> = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$(VAR_EMPTY)', ''],
    ['$(SVC)', 's'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['foo$', 'foo$'],
    ['$()', '$()'],
    ['$(VAR_A)$', 'A$'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['$?_boo_$!', '$?_boo_$!'],
    ['$(VAR_A)(VAR_A)', 'A(VAR_A)'],
  ];
  for (const [input, want] of cases) {
    it(`${input} → ${want}`, () => assert.equal(expand(input, mapping), want));
  }
});

describe('expandContainerCommand', () => {
  it('expands command and args against the resolved env', () => {
    const out = expandContainerCommand(['sh', '-c', 'echo $(GREETING)'], ['$(MISSING)', '$$(GREETING)'], [{ key: 'GREETING', value: 'hi' }]);
    assert.deepEqual(out, { command: ['sh', '-c', 'echo hi'], args: ['$(MISSING)', '$(GREETING)'] });
  });
  it('static-only expansion ignores valueFrom variables', () => {
    const out = expandCommandOnlyStatic(['$(A)', '$(B)'], [{ name: 'A', value: 'a' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    assert.deepEqual(out, ['a', '$(B)']);
  });
});
