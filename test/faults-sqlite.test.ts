// Faults of the SQLite store's file, each reported with a StorageError code and a message naming the
// file: random bytes instead of a database, a Kite database with damaged pages, a SQLite database of
// something else, and a full disk (a 512 KiB tmpfs): writes fail with 'NoSpace', every acknowledged
// write is still there, in the same process and after reopening, and no failed write is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { isStorageError } from '../src/storage/errors.js';
import { openSqliteBackend } from '../src/storage/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kite-faults-'));
let mounted: string | undefined;
after(() => {
  if (mounted) execFileSync('umount', [mounted]);
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('a file of random bytes is refused as Corrupt, naming the file', () => {
  const path = join(dir, 'random.db');
  writeFileSync(path, randomBytes(64 * 1024));
  assert.throws(
    () => openSqliteBackend({ path }),
    (err) => isStorageError(err, 'Corrupt') && err.message.includes(path) && /not a SQLite database|corrupt/.test(err.message),
  );
});

test('a Kite database with damaged pages is reported as Corrupt', async () => {
  const path = join(dir, 'damaged.db');
  const store = openSqliteBackend({ path });
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.create(`/k/${i}`, bytes('v'.repeat(100)))));
  await store.close();
  // keep page 1 (the header and schema), overwrite every later page with garbage
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  writeSync(fd, randomBytes(size - 4096), 0, size - 4096, 4096);
  closeSync(fd);
  let err: unknown;
  try {
    const damaged = openSqliteBackend({ path });
    try {
      await damaged.list('/k/');
    } finally {
      await damaged.close();
    }
  } catch (e) {
    err = e;
  }
  assert.ok(isStorageError(err, 'Corrupt'), `expected Corrupt, got ${String(err)}`);
  assert.ok(err.message.includes(path));
});

test('a SQLite database that is not Kite’s is refused as a foreign database', () => {
  const path = join(dir, 'foreign.db');
  const db = new Database(path);
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann')`);
  db.close();
  assert.throws(
    () => openSqliteBackend({ path }),
    (err) => isStorageError(err, 'Corrupt') && /foreign/.test(err.message) && err.message.includes(path),
  );
  // and it is left untouched
  const check = new Database(path, { readonly: true });
  assert.deepEqual(check.prepare('SELECT name FROM users').all(), [{ name: 'ann' }]);
  check.close();
});

test('a full disk fails writes with NoSpace; acknowledged writes stay, failed ones never appear', async () => {
  const mnt = join(dir, 'tiny');
  execFileSync('mkdir', ['-p', mnt]);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`cannot mount a tmpfs for the disk-full test (needs root / CAP_SYS_ADMIN): ${String(e)}`);
  }
  mounted = mnt;
  const path = join(mnt, 'kite.db');
  const store = openSqliteBackend({ path });
  const acked = new Map<string, number>();
  const failed = new Set<string>();
  let noSpace: unknown;
  const value = (key: string): Uint8Array => bytes(`${key}:${'x'.repeat(2000)}`);
  try {
    // batches of 16 concurrent creates (one transaction each) until one fails
    for (let batch = 0; noSpace === undefined; batch++) {
      assert.ok(batch < 10_000, 'the disk never filled up');
      const keys = Array.from({ length: 16 }, (_, i) => `/full/${batch}/${i}`);
      const results = await Promise.allSettled(keys.map((k) => store.create(k, value(k))));
      results.forEach((r, i) => {
        const key = keys[i] ?? '';
        if (r.status === 'fulfilled') {
          assert.ok(r.value.ok);
          if (r.value.ok) acked.set(key, r.value.revision);
        } else {
          failed.add(key);
          noSpace ??= r.reason;
        }
      });
    }
    assert.ok(isStorageError(noSpace, 'NoSpace'), `expected NoSpace, got ${String(noSpace)}`);
    assert.ok(noSpace.message.includes(path), noSpace.message);
    assert.ok(acked.size > 16, `only ${acked.size} writes fit`);
    // a later write still fails cleanly and the store keeps serving reads
    await assert.rejects(store.create('/full/after', value('/full/after')), (err) => isStorageError(err, 'NoSpace'));
    failed.add('/full/after');
    await checkContents(store, acked, failed);
  } finally {
    await store.close();
  }
  const reopened = openSqliteBackend({ path });
  try {
    await checkContents(reopened, acked, failed);
  } finally {
    await reopened.close();
  }
});

const checkContents = async (
  store: ReturnType<typeof openSqliteBackend>,
  acked: Map<string, number>,
  failed: Set<string>,
): Promise<void> => {
  const list = await store.list('/full/');
  const present = new Map(list.kvs.map((kv) => [kv.key, kv]));
  for (const [key, revision] of acked) {
    const kv = present.get(key);
    assert.ok(kv, `acknowledged ${key} is missing`);
    assert.equal(kv.modRevision, revision);
    assert.equal(new TextDecoder().decode(kv.value).split(':')[0], key);
  }
  for (const key of failed) assert.ok(!present.has(key), `failed write ${key} is visible`);
  assert.equal(present.size, acked.size);
  assert.equal(await store.currentRevision(), Math.max(...acked.values()));
};
