import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBackend } from '../../storage/open.js';
import { ObjectStore } from '../../storage/store.js';
import { AllocationError, ItemAllocator, nodePortAllocator } from './item-allocator.js';
import { PortRange } from './ranges.js';
import { RangeMismatchError, type RangeAllocationObject } from './stored-range.js';

describe('stored ranges', () => {
  let dir: string;
  let store: ObjectStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-ranges-'));
    store = new ObjectStore(await openBackend({ kind: 'sqlite', path: join(dir, 'db.sqlite'), synchronous: 'off' }));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the bitmap in a RangeAllocation object and never hands out an item twice', async () => {
    const range = PortRange.parse('30000-30099');
    const a = nodePortAllocator(store, range, Math.random);
    const results = await Promise.all(Array.from({ length: 100 }, () => a.allocateNext()));
    assert.equal(new Set(results).size, 100);
    await assert.rejects(a.allocateNext(), (e: unknown) => e instanceof AllocationError && e.reason === 'Full' && e.message === 'range is full');
    const obj = await store.get<RangeAllocationObject>('/registry/ranges/servicenodeports');
    assert.equal(obj.kind, 'RangeAllocation');
    assert.equal(obj.range, '30000-30099');
    // A second allocator over the same store (another API server) sees the same state.
    const b = nodePortAllocator(store, range, Math.random);
    assert.equal((await b.list()).length, 100);
    await b.release([30042]);
    assert.equal(await a.allocateNext(), 30042);
    await a.release(results);
    assert.equal((await a.list()).length, 0);
  });

  it('batches concurrent changes into few writes; a failing change undoes only itself', async () => {
    const range = PortRange.parse('31000-31999');
    const a = new ItemAllocator<number>(store, '/registry/ranges/test-batch', range, { allocated: 'taken', notInRange: () => 'out' }, Math.random);
    const rvBefore = Number(await store.currentResourceVersion());
    const outcomes = await Promise.allSettled([
      a.allocate(31005),
      a.change((t) => {
        t.take(31006);
        t.take(31005); // taken by the change before: this change fails, 31006 stays free
      }),
      a.allocate(42),
      a.allocate(31007),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    assert.equal((outcomes[1] as PromiseRejectedResult).reason.message, 'taken');
    assert.equal((outcomes[2] as PromiseRejectedResult).reason.message, 'out');
    assert.deepEqual(await a.list(), [31005, 31007]);
    const writes = Number(await store.currentResourceVersion()) - rvBefore;
    assert.equal(writes, 1, 'one write for the whole batch');
  });

  it('refuses to allocate from a stored range that is not the configured one', async () => {
    const a = new ItemAllocator<number>(store, '/registry/ranges/test-mismatch', PortRange.parse('30000-30010'), { allocated: 'x', notInRange: () => 'y' }, Math.random);
    await a.allocate(30001);
    const b = new ItemAllocator<number>(store, '/registry/ranges/test-mismatch', PortRange.parse('30000-30020'), { allocated: 'x', notInRange: () => 'y' }, Math.random);
    await assert.rejects(b.allocate(30002), RangeMismatchError);
    assert.deepEqual(await b.list(), [], 'a mismatched snapshot reads as empty');
  });
});
