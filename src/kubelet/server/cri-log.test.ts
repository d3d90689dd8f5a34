import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLogRecord } from '../../runtime/process/cri-log.js';
import { parseCriLogLine } from './cri-log.js';

test('parses full and partial CRI log lines', () => {
  const full = parseCriLogLine(Buffer.from('2016-10-06T00:17:09.669794202Z stdout F log content 1'));
  assert.ok(full);
  assert.equal(full.timestamp, '2016-10-06T00:17:09.669794202Z');
  assert.equal(full.time, Date.UTC(2016, 9, 6, 0, 17, 9, 669));
  assert.equal(full.stream, 'stdout');
  assert.equal(full.full, true);
  assert.equal(full.text.toString(), 'log content 1');
  const partial = parseCriLogLine(Buffer.from('2016-10-06T00:17:09.669794203Z stderr P part'));
  assert.equal(partial?.full, false);
  assert.equal(partial?.stream, 'stderr');
});

test('keeps spaces in the text and accepts an empty one', () => {
  assert.equal(parseCriLogLine(Buffer.from('2020-01-01T00:00:00Z stdout F  two  spaces '))?.text.toString(), ' two  spaces ');
  assert.equal(parseCriLogLine(Buffer.from('2020-01-01T00:00:00Z stdout F'))?.text.length, 0);
});

test('refuses lines not in the format', () => {
  for (const bad of ['', 'garbage', 'notatime stdout F x', '2020-01-01T00:00:00Z stdnothing F x']) {
    assert.equal(parseCriLogLine(Buffer.from(bad)), undefined, bad);
  }
});

test('reads what the process runtime writes', () => {
  const line = formatLogRecord(Date.UTC(2026, 0, 1), 'stdout', false, Buffer.from('hello'));
  assert.equal(line.toString(), '2026-01-01T00:00:00.000000000Z stdout F hello\n');
  assert.equal(parseCriLogLine(line.subarray(0, -1))?.text.toString(), 'hello');
});
