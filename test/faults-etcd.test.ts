// Faults of the real-etcd backend: nothing listening, etcd killed under an open backend and an
// open watch, and requests over the size limit. Each must surface as a StorageError that names the
// cause, within the request bound. A watch does not resume by itself after etcd dies: it ends with
// onError('Unreachable') and the caller (the watch cache) re-establishes it from its last revision.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_VALUE_BYTES } from '../src/storage/backend.js';
import { isStorageError } from '../src/storage/errors.js';
import { openEtcdBackend } from '../src/storage/etcd/index.js';
import { bytes, recorder, waitFor } from '../src/storage/etcd/test-support.js';
import { freePort, startEtcd } from './support/etcd-process.js';

test('nothing listening: open fails with Unreachable naming the endpoint, within the bound', async () => {
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const started = Date.now();
  await assert.rejects(openEtcdBackend({ endpoints: [endpoint], dialTimeoutMs: 2000 }), (err) => {
    assert.ok(isStorageError(err, 'Unreachable'), String(err));
    assert.ok(err.message.includes(endpoint), err.message);
    return true;
  });
  assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
});

test('etcd killed: requests fail with Unreachable, an open watch ends with Unreachable, restart recovers', async () => {
  const etcd = await startEtcd();
  try {
    const backend = await openEtcdBackend({ endpoints: [etcd.endpoint], requestTimeoutMs: 2000 });
    try {
      const rec = recorder();
      const start = await backend.currentRevision();
      await backend.watch('/faults/', { afterRevision: start, prefix: true }, rec);
      const written = await backend.create('/faults/a', bytes('1'));
      assert.ok(written.ok);
      await waitFor(() => rec.events.length === 1, 'the event before the kill');

      await etcd.kill9();
      await waitFor(() => rec.errors.length > 0, 'the watch to fail', 5000);
      assert.equal(rec.errors.length, 1);
      assert.ok(isStorageError(rec.errors[0], 'Unreachable'), String(rec.errors[0]));

      const started = Date.now();
      await assert.rejects(backend.get('/faults/a'), (err) => {
        assert.ok(isStorageError(err, 'Unreachable'), String(err));
        assert.ok(err.message.includes(etcd.endpoint), err.message);
        return true;
      });
      await assert.rejects(backend.create('/faults/b', bytes('2')), (err) => isStorageError(err, 'Unreachable'));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);

      await etcd.restart();
      // the channel reconnects on its own (bounded backoff); the data survived
      let value: string | undefined;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        try {
          const { kv } = await backend.get('/faults/a');
          value = kv ? new TextDecoder().decode(kv.value) : undefined;
          break;
        } catch (err) {
          if (!isStorageError(err, 'Unreachable')) throw err;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      assert.equal(value, '1', 'reads work again within 10 s of the restart');
      const rec2 = recorder();
      await backend.watch('/faults/', { afterRevision: written.revision, prefix: true }, rec2);
      const b = await backend.create('/faults/b', bytes('2'));
      assert.ok(b.ok);
      await waitFor(() => rec2.events.length === 1, 'a new watch after restart');
    } finally {
      await backend.close();
    }
  } finally {
    await etcd.stop();
  }
});

test('requests over the size limit are refused with RequestTooLarge', async () => {
  const etcd = await startEtcd();
  try {
    const backend = await openEtcdBackend({ endpoints: [etcd.endpoint] });
    try {
      await assert.rejects(backend.create('/big/value', new Uint8Array(MAX_VALUE_BYTES + 1)), (err) =>
        isStorageError(err, 'RequestTooLarge'),
      );
      const a = await backend.create('/big/a', bytes('small'));
      assert.ok(a.ok);
      await assert.rejects(backend.update('/big/a', new Uint8Array(MAX_VALUE_BYTES + 1), a.revision), (err) =>
        isStorageError(err, 'RequestTooLarge'),
      );
      // over etcd's own --max-request-bytes (2 MiB in the test etcd): etcd refuses it
      const hugeKey = `/big/${'k'.repeat(3 * 1024 * 1024)}`;
      await assert.rejects(backend.create(hugeKey, bytes('v')), (err) => {
        assert.ok(isStorageError(err, 'RequestTooLarge'), String(err));
        return true;
      });
      assert.equal(await backend.count('/big/'), 1, 'nothing was written');
    } finally {
      await backend.close();
    }
  } finally {
    await etcd.stop();
  }
});
