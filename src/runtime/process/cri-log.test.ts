import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { CriLineSplitter, formatLogTime, MAX_LOG_LINE_BYTES } from './cri-log.js';

const records = (chunks: Buffer[], end = true): string[] => {
  const out: string[] = [];
  const s = new CriLineSplitter('stdout', new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5, 67)), (r) => out.push(r.toString()));
  for (const c of chunks) s.write(c);
  if (end) s.end();
  return out;
};

it('formats times as RFC 3339 with nanoseconds', () => {
  assert.equal(formatLogTime(Date.UTC(2026, 0, 2, 3, 4, 5, 67)), '2026-01-02T03:04:05.067000000Z');
});

it('writes one F record per line, joining lines split across chunks', () => {
  assert.deepEqual(records([Buffer.from('a\nb'), Buffer.from('c\n\n')]), [
    '2026-01-02T03:04:05.067000000Z stdout F a\n',
    '2026-01-02T03:04:05.067000000Z stdout F bc\n',
    '2026-01-02T03:04:05.067000000Z stdout F \n',
  ]);
});

it('cuts lines longer than 16 KiB into P records ending with an F record', () => {
  const long = 'x'.repeat(MAX_LOG_LINE_BYTES * 2 + 10);
  const out = records([Buffer.from(long.slice(0, 1000)), Buffer.from(long.slice(1000) + '\nnext')]);
  assert.deepEqual(
    out.map((r) => [r.split(' ')[2], r.split(' ')[3]!.length - 1]),
    [
      ['P', MAX_LOG_LINE_BYTES],
      ['P', MAX_LOG_LINE_BYTES],
      ['F', 10],
      ['F', 4],
    ],
  );
});

it('keeps an unterminated last line until the stream ends', () => {
  assert.deepEqual(records([Buffer.from('partial')], false), []);
  assert.deepEqual(records([Buffer.from('partial')]), ['2026-01-02T03:04:05.067000000Z stdout F partial\n']);
});
