import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock, systemClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { FileSource } from './file-source.js';

const manifest = (name: string, arg = '3600') =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', arg] }] } });

describe('the file pod source', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'kite-static-'));
    dirs.push(dir);
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const events: string[] = [];
    const handlers = {
      podUpdated: (p: Pod) => events.push(`+${p.metadata?.name}`),
      podDeleted: (p: Pod) => events.push(`-${p.metadata?.name}`),
    };
    const source = new FileSource({ path: dir, nodeName: 'n1', handlers, clock, logger: silentLogger, checkMs: 20_000, watch: false });
    return { dir, clock, events, source };
  }

  it('delivers the manifests at start and the changes of every period, by UID', () => {
    const { dir, clock, events, source } = setup();
    writeFileSync(join(dir, 'a.json'), manifest('a'));
    writeFileSync(join(dir, '.hidden.json'), manifest('hidden'));
    source.start();
    assert.deepEqual(events, ['+a-n1']);
    const first = source.list()[0]!;
    assert.equal(first.metadata?.annotations?.['kubernetes.io/config.seen'], '2026-01-01T00:00:00.000Z');
    writeFileSync(join(dir, 'b.json'), manifest('b'));
    clock.step(20_000);
    assert.deepEqual(events, ['+a-n1', '+b-n1']);
    // unchanged: nothing delivered, first-seen kept
    clock.step(20_000);
    assert.equal(events.length, 2);
    assert.equal(source.list().find((p) => p.metadata?.name === 'a-n1')?.metadata?.annotations?.['kubernetes.io/config.seen'], '2026-01-01T00:00:00.000Z');
    // changed content: a new UID replaces the old pod
    writeFileSync(join(dir, 'a.json'), manifest('a', '10'));
    source.rescan();
    assert.deepEqual(events.slice(2), ['-a-n1', '+a-n1']);
    assert.notEqual(source.list().find((p) => p.metadata?.name === 'a-n1')?.metadata?.uid, first.metadata?.uid);
    unlinkSync(join(dir, 'b.json'));
    source.rescan();
    assert.deepEqual(events.slice(4), ['-b-n1']);
    source.stop();
  });

  it('skips invalid manifests without failing; a file that breaks keeps its pod on a watch event, not on the periodic read', () => {
    const { dir, clock, events, source } = setup();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nspec: {}');
    writeFileSync(join(dir, 'good.json'), manifest('good'));
    source.start();
    assert.deepEqual(events, ['+good-n1']);
    writeFileSync(join(dir, 'good.json'), '{"apiVersion": "v1", "kind": "Po');
    source.rescan(true);
    assert.deepEqual(events, ['+good-n1'], 'mid-save: the pod stays');
    writeFileSync(join(dir, 'good.json'), manifest('good'));
    source.rescan(true);
    assert.deepEqual(events, ['+good-n1'], 'saved again unchanged: same pod, nothing delivered');
    writeFileSync(join(dir, 'good.json'), '{"apiVersion": "v1", "kind": "Po');
    clock.step(20_000);
    assert.deepEqual(events, ['+good-n1', '-good-n1'], 'still broken at the periodic read: the pod goes');
    writeFileSync(join(dir, 'good.json'), manifest('good'));
    source.rescan(true);
    assert.deepEqual(events, ['+good-n1', '-good-n1', '+good-n1']);
    unlinkSync(join(dir, 'good.json'));
    source.rescan();
    assert.deepEqual(events.slice(3), ['-good-n1']);
    source.stop();
  });

  it('treats a missing path as no pods and picks it up once it exists', () => {
    const { dir, clock, events } = setup();
    const handlers = { podUpdated: (p: Pod) => events.push(`+${p.metadata?.name}`), podDeleted: (p: Pod) => events.push(`-${p.metadata?.name}`) };
    const path = join(dir, 'later');
    const source = new FileSource({ path, nodeName: 'n1', handlers, clock, logger: silentLogger, checkMs: 1_000, watch: false });
    source.start();
    assert.deepEqual(events, []);
    writeFileSync(path, manifest('single'));
    clock.step(1_000);
    assert.deepEqual(events, ['+single-n1']);
    source.stop();
  });

  it('notices a change through the directory watch before the period', async () => {
    const { dir, events } = setup();
    const handlers = { podUpdated: (p: Pod) => events.push(`+${p.metadata?.name}`), podDeleted: (p: Pod) => events.push(`-${p.metadata?.name}`) };
    const source = new FileSource({ path: dir, nodeName: 'n1', handlers, clock: systemClock({ keepAlive: true }), logger: silentLogger, checkMs: 60_000 });
    source.start();
    writeFileSync(join(dir, 'w.json'), manifest('w'));
    const deadline = Date.now() + 5_000;
    while (!events.includes('+w-n1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    source.stop();
    assert.deepEqual(events, ['+w-n1']);
  });
});
