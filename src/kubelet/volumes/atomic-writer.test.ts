import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { validatePayloadPath, writeAtomically, type Payload } from './atomic-writer.js';

const file = (s: string, mode = 0o644) => ({ data: Buffer.from(s), mode });

describe('writeAtomically', () => {
  const root = mkdtempSync(join(tmpdir(), 'kite-atomic-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const clock = new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5));

  it('writes files behind ..data and user-visible symlinks, then swaps and prunes on change', async () => {
    const dir = join(root, 'vol');
    const first: Payload = new Map([
      ['a', file('one')],
      ['sub/b', file('two', 0o400)],
    ]);
    assert.equal(await writeAtomically(dir, first, clock), true);
    const ts = readlinkSync(join(dir, '..data'));
    assert.match(ts, /^\.\.2026_01_02_03_04_05\.[0-9a-f]+$/);
    assert.equal(readlinkSync(join(dir, 'a')), '..data/a');
    assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
    assert.equal(readFileSync(join(dir, 'sub/b'), 'utf8'), 'two');
    assert.equal(statSync(join(dir, 'sub/b')).mode & 0o777, 0o400);
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o644);

    assert.equal(await writeAtomically(dir, first, clock), false, 'unchanged payload is a no-op');
    assert.equal(readlinkSync(join(dir, '..data')), ts);

    await clock.step(1000);
    const second: Payload = new Map([
      ['a', file('uno')],
      ['c', file('three')],
    ]);
    assert.equal(await writeAtomically(dir, second, clock), true);
    const ts2 = readlinkSync(join(dir, '..data'));
    assert.notEqual(ts2, ts);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'uno');
    assert.equal(readFileSync(join(dir, 'c'), 'utf8'), 'three');
    assert.deepEqual(readdirSync(dir).sort(), ['..data', ts2, 'a', 'c'].sort());
    assert.ok(lstatSync(join(dir, 'a')).isSymbolicLink());
  });

  it('rejects paths that would escape', () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '..data', '']) assert.throws(() => validatePayloadPath(bad));
    validatePayloadPath('a/b..c');
  });
});
