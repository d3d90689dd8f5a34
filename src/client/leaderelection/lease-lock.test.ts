import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeaseLock } from './lease-lock.js';
import { leaseSpecFromRecord, recordFromLeaseSpec } from './record.js';
import { InMemoryLeaseApi } from './test-support.js';

describe('LeaseLock', () => {
  it('maps the record onto the lease spec with MicroTime timestamps', () => {
    const at = Date.UTC(2026, 2, 4, 5, 6, 7, 89);
    const spec = leaseSpecFromRecord({ holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: at, renewTime: at + 2000, leaderTransitions: 3 });
    assert.deepEqual(spec, {
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      leaseTransitions: 3,
      acquireTime: '2026-03-04T05:06:07.089000Z',
      renewTime: '2026-03-04T05:06:09.089000Z',
    });
    assert.deepEqual(recordFromLeaseSpec(spec), { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: at, renewTime: at + 2000, leaderTransitions: 3 });
    assert.deepEqual(recordFromLeaseSpec(undefined), { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: undefined, renewTime: undefined, leaderTransitions: 0 });
  });

  it('creates with labels, updates over the version it read, and conflicts when the lease moved on', async () => {
    const api = new InMemoryLeaseApi();
    const lock = new LeaseLock({ namespace: 'ns', name: 'l', identity: 'me', client: api, labels: { app: 'kite' } });
    const record = { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: 0, renewTime: 0, leaderTransitions: 0 };
    await assert.rejects(lock.update(record), /call get or create first/);
    await lock.create(record);
    assert.deepEqual(api.peek('ns', 'l')?.metadata?.labels, { app: 'kite' });
    await lock.update({ ...record, renewTime: 1000 });
    const other = new LeaseLock({ namespace: 'ns', name: 'l', identity: 'other', client: api });
    const { record: seen, raw } = await other.get();
    assert.equal(seen.renewTime, 1000);
    assert.equal(typeof raw, 'string');
    await other.update({ ...seen, holderIdentity: 'other' });
    await assert.rejects(lock.update({ ...record, renewTime: 2000 }), (err: Error) => err.name === 'StatusError' && /modified/.test(err.message));
    assert.deepEqual(api.peek('ns', 'l')?.metadata?.labels, { app: 'kite' }, 'updates keep the metadata');
    assert.equal(lock.describe(), 'ns/l');
  });
});
