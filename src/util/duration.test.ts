import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDuration } from './duration.js';

it('parses Go-style durations to milliseconds', () => {
  assert.equal(parseDuration('300ms'), 300);
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('0'), 0);
});

it('refuses text that is not a duration, saying what it expects', () => {
  for (const bad of ['', '5', 'ten seconds', '5s junk', '-1s']) {
    assert.throws(() => parseDuration(bad), /invalid duration/);
  }
});
