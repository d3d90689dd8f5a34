// One process owns a database file: a second store on the same file, in this process or another,
// fails at open with an error saying the file is locked; once the owner closes, it opens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, test } from 'node:test';
import { isStorageError } from '../errors.js';
import { openSqliteBackend } from './backend.js';
import { bytes, tempDir } from './test-support.js';

const tmp = tempDir();
after(() => tmp.remove());

test('a second open of the same file fails while the first holds it', async () => {
  const path = `${tmp.dir}/locked.db`;
  const first = openSqliteBackend({ path });
  await first.create('/a', bytes('a'));
  try {
    assert.throws(
      () => openSqliteBackend({ path }),
      (err) => isStorageError(err, 'Internal') && /locked/.test(err.message) && err.message.includes(path),
    );

    // another process using plain better-sqlite3 cannot read it either
    const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const script = `
      const Database = require(${JSON.stringify(betterSqlite)});
      try { new Database(${JSON.stringify(path)}, { timeout: 0 }).prepare('SELECT count(*) FROM kite_log').get(); console.log('OPENED'); }
      catch (e) { console.log(e.code); }`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.stdout.trim(), 'SQLITE_BUSY', child.stderr);
  } finally {
    await first.close();
  }
  const again = openSqliteBackend({ path });
  try {
    assert.equal((await again.get('/a')).kv?.modRevision, 1);
  } finally {
    await again.close();
  }
});
