// The database file: opening it with Kite's pragmas (WAL, the chosen synchronous level, an exclusive
// lock so one process owns the file), creating Kite's schema in an empty file, and refusing files
// that are not Kite databases. The schema is kine's: an append-only log whose autoincrement id is the
// revision, one row per write, with the previous value kept in each row.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { toStorageError } from './sqlite-errors.js';

export type SynchronousMode = 'full' | 'normal' | 'off';

export const SCHEMA_VERSION = 1;

/** One row per write. `id` is the revision; `prev_revision` is the key's previous row (0 for a key
 *  never written), unique per key so two writers can never both extend the same version. */
const DDL = [
  `CREATE TABLE kite_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL,
     created INTEGER NOT NULL,
     deleted INTEGER NOT NULL,
     create_revision INTEGER NOT NULL,
     prev_revision INTEGER NOT NULL,
     value BLOB,
     old_value BLOB
   )`,
  `CREATE UNIQUE INDEX kite_log_name_prev_revision ON kite_log (name, prev_revision)`,
  `CREATE INDEX kite_log_name_id ON kite_log (name, id)`,
  `CREATE TABLE kite_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
  `INSERT INTO kite_meta (key, value) VALUES ('schema_version', ${SCHEMA_VERSION}), ('compact_revision', 0)`,
];

export interface OpenedDatabase {
  db: Database.Database;
  /** The revision of the last write (0 for a fresh store). */
  currentRevision: number;
  /** The revision of the last compaction (0 if never compacted). */
  compactRevision: number;
}

const tableNames = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map(
    (r) => r.name,
  );

/** Open (creating if needed) the Kite database at `path`. Throws StorageError: 'Corrupt' for a file
 *  that is not a SQLite database or is a SQLite database of something else, 'NoSpace' for a full
 *  disk, 'Internal' when another process holds the file. */
export const openDatabase = (path: string, synchronous: SynchronousMode, lockTimeoutMs: number): OpenedDatabase => {
  if (!['full', 'normal', 'off'].includes(synchronous)) {
    throw new StorageError('Internal', `invalid synchronous mode ${JSON.stringify(synchronous)} for ${path}: use full, normal or off`);
  }
  const memory = path === ':memory:';
  if (!memory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new StorageError('Internal', `cannot create the directory of the database ${path}: ${String(err)}`, undefined, undefined, {
        cause: err,
      });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: lockTimeoutMs });
  } catch (err) {
    throw toStorageError(err, path);
  }
  try {
    // Exclusive locking before the first access to the WAL: the WAL index then lives in this
    // process's heap and the first read takes an exclusive lock on the file, held until close, so a
    // second process fails to open it instead of corrupting it.
    db.pragma('locking_mode = EXCLUSIVE');
    const tables = tableNames(db); // first read: takes the lock, fails on a non-database file
    if (!memory) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') {
        throw new StorageError('Internal', `cannot switch the database ${path} to WAL mode (got ${String(mode)})`);
      }
    }
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32000'); // 32 MiB page cache
    if (tables.length === 0) {
      db.transaction(() => {
        for (const sql of DDL) db.exec(sql);
      })();
    } else if (!tables.includes('kite_log') || !tables.includes('kite_meta')) {
      throw new StorageError(
        'Corrupt',
        `the database ${path} is a foreign SQLite database, not a Kite store (it has tables ${tables.slice(0, 5).join(', ')}` +
          `${tables.length > 5 ? ', …' : ''} and no Kite schema); point Kite at another data directory`,
      );
    }
    const meta = new Map(
      (db.prepare(`SELECT key, value FROM kite_meta`).all() as { key: string; value: number }[]).map((r) => [r.key, r.value]),
    );
    const version = meta.get('schema_version');
    if (version !== SCHEMA_VERSION) {
      throw new StorageError(
        'Corrupt',
        `the database ${path} has Kite schema version ${String(version)}, this Kite understands version ${SCHEMA_VERSION}`,
      );
    }
    const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'kite_log'`).get() as { seq: number } | undefined;
    const maxId = db.prepare(`SELECT MAX(id) AS id FROM kite_log`).get() as { id: number | null };
    return {
      db,
      currentRevision: Math.max(seq?.seq ?? 0, maxId.id ?? 0),
      compactRevision: meta.get('compact_revision') ?? 0,
    };
  } catch (err) {
    try {
      db.close();
    } catch {
      // the open failed already; that error is the one to report
    }
    throw toStorageError(err, path);
  }
};
