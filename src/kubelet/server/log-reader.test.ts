import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../../util/clock.js';
import { parseLogOptions, type LogOptions } from './log-options.js';
import { readContainerLog, type LogSink } from './log-reader.js';

const clock = systemClock({ keepAlive: true });
const line = (t: string, text: string, tag = 'F', stream = 'stdout') => `2026-01-01T00:00:${t}.000000001Z ${stream} ${tag} ${text}\n`;
const opts = (o: Partial<LogOptions> = {}): LogOptions => ({ follow: false, previous: false, timestamps: false, ...o });

async function withLog(content: string, fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-log-'));
  const path = join(dir, '0.log');
  await writeFile(path, content);
  try {
    await fn(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collector(): LogSink & { text(): string } {
  const chunks: Buffer[] = [];
  return { write: async (c) => void chunks.push(Buffer.from(c)), text: () => Buffer.concat(chunks).toString() };
}

async function read(path: string, o: LogOptions): Promise<string> {
  const out = collector();
  await readContainerLog(path, o, out, { clock, isRunning: async () => false });
  return out.text();
}

async function waitFor(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(10);
  }
}

const sample = line('01', 'one') + line('02', 'tw', 'P') + line('02', 'o') + line('03', 'err', 'F', 'stderr') + line('04', 'four');

test('reads the text, joining partial lines', () =>
  withLog(sample, async (path) => {
    assert.equal(await read(path, opts()), 'one\ntwo\nerr\nfour\n');
  }));

test('tailLines, sinceTime, timestamps and limitBytes', () =>
  withLog(sample, async (path) => {
    assert.equal(await read(path, opts({ tailLines: 2 })), 'err\nfour\n');
    assert.equal(await read(path, opts({ tailLines: 0 })), '');
    assert.equal(await read(path, opts({ tailLines: 100 })), 'one\ntwo\nerr\nfour\n');
    assert.equal(await read(path, opts({ since: Date.UTC(2026, 0, 1, 0, 0, 3) })), 'err\nfour\n');
    assert.equal(await read(path, opts({ tailLines: 1, timestamps: true })), '2026-01-01T00:00:04.000000001Z four\n');
    assert.equal(await read(path, opts({ limitBytes: 6 })), 'one\ntw');
  }));

test('query options: validation and sinceSeconds', () => {
  const now = Date.UTC(2026, 0, 1, 1);
  assert.deepEqual(parseLogOptions(new URLSearchParams('follow=true&tailLines=5&timestamps=1&sinceSeconds=60'), now), {
    follow: true,
    previous: false,
    timestamps: true,
    tailLines: 5,
    since: now - 60_000,
  });
  assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=x'), now), /tailLines/);
  assert.throws(() => parseLogOptions(new URLSearchParams('sinceSeconds=1&sinceTime=2026-01-01T00:00:00Z'), now), /at most one/);
  assert.throws(() => parseLogOptions(new URLSearchParams('limitBytes=0'), now), /limitBytes/);
});

test('follow sees new lines, moves to the new file on rotation, and ends when the container stops', () =>
  withLog(line('01', 'first'), async (path) => {
    let running = true;
    const out = collector();
    const aborted = new AbortController();
    const done = readContainerLog(path, opts({ follow: true }), out, { clock, isRunning: async () => running, signal: aborted.signal, pollMs: 10 });
    const stop = () => (aborted.abort(), done);
    try {
      await waitFor('the first line', () => out.text() === 'first\n');
      await appendFile(path, line('02', 'second'));
      await waitFor('the appended line', () => out.text() === 'first\nsecond\n');
      // Rotation: a last line in the old file, renamed away, a new file at the path.
      await appendFile(path, line('03', 'third'));
      await rename(path, `${path}.20260101-000003`);
      await writeFile(path, line('04', 'fourth'));
      await waitFor('the rotated file', () => out.text() === 'first\nsecond\nthird\nfourth\n');
    } catch (err) {
      await stop();
      throw err;
    }
    await appendFile(path, line('05', 'last'));
    running = false;
    await done;
    assert.equal(out.text(), 'first\nsecond\nthird\nfourth\nlast\n');
  }));

test('follow starts over after truncation and stops when aborted', () =>
  withLog(line('01', 'a longer first line'), async (path) => {
    const aborted = new AbortController();
    const out = collector();
    const done = readContainerLog(path, opts({ follow: true }), out, { clock, isRunning: async () => true, signal: aborted.signal, pollMs: 10 });
    try {
      await waitFor('the first line', () => out.text() === 'a longer first line\n');
      // Truncation is seen as the file being shorter than what was read.
      await truncate(path, 0);
      await appendFile(path, line('02', 'b'));
      await waitFor('the line after truncation', () => out.text() === 'a longer first line\nb\n');
    } finally {
      aborted.abort();
      await done;
    }
  }));
