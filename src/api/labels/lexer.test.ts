import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, Token } from './lexer.js';

test('single tokens (TestLexer)', () => {
  const cases: Array<[string, Token]> = [
    ['', Token.EndOfString], [',', Token.Comma], ['notin', Token.NotIn], ['in', Token.In], ['=', Token.Equals],
    ['==', Token.DoubleEquals], ['>', Token.GreaterThan], ['<', Token.LessThan], ['!', Token.DoesNotExist],
    ['!=', Token.NotEquals], ['(', Token.OpenPar], [')', Token.ClosedPar], ['~', Token.Identifier], ['||', Token.Identifier],
  ];
  for (const [s, t] of cases) {
    const item = new Lexer(s).lex();
    assert.equal(item.tok, t, s);
    if (t !== Token.EndOfString) assert.equal(item.literal, s);
  }
});

test('token sequences (TestLexerSequence)', () => {
  const T = Token;
  const cases: Array<[string, Token[]]> = [
    ['key in ( value )', [T.Identifier, T.In, T.OpenPar, T.Identifier, T.ClosedPar]],
    ['key notin ( value )', [T.Identifier, T.NotIn, T.OpenPar, T.Identifier, T.ClosedPar]],
    ['key in ( value1, value2 )', [T.Identifier, T.In, T.OpenPar, T.Identifier, T.Comma, T.Identifier, T.ClosedPar]],
    ['key', [T.Identifier]],
    ['!key', [T.DoesNotExist, T.Identifier]],
    ['()', [T.OpenPar, T.ClosedPar]],
    ['x in (),y', [T.Identifier, T.In, T.OpenPar, T.ClosedPar, T.Comma, T.Identifier]],
    ['== != (), = notin', [T.DoubleEquals, T.NotEquals, T.OpenPar, T.ClosedPar, T.Comma, T.Equals, T.NotIn]],
    ['key>2', [T.Identifier, T.GreaterThan, T.Identifier]],
    ['key<1', [T.Identifier, T.LessThan, T.Identifier]],
  ];
  for (const [s, want] of cases) {
    const l = new Lexer(s);
    const got: Token[] = [];
    for (let item = l.lex(); item.tok !== Token.EndOfString; item = l.lex()) got.push(item.tok);
    assert.deepEqual(got, want, s);
  }
});
