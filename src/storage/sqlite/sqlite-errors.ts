// Translation of SQLite failures into the storage layer's StorageError codes, each message naming
// the database file so an operator can act on it: a corrupt or non-SQLite file is 'Corrupt', a full
// disk is 'NoSpace', a database held by another process is 'Internal' with a message saying so.
import { StorageError } from '../errors.js';

/** The `code` of a better-sqlite3 SqliteError (e.g. "SQLITE_FULL"), if `err` is one. */
export const sqliteCode = (err: unknown): string | undefined => {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_')) {
    return err.code;
  }
  return undefined;
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Map any error raised while using the database at `path` onto a StorageError. StorageErrors pass
 *  through unchanged. */
export const toStorageError = (err: unknown, path: string, key?: string): StorageError => {
  if (err instanceof StorageError) return err;
  const code = sqliteCode(err) ?? '';
  const cause = { cause: err };
  if (code === 'SQLITE_FULL' || /ENOSPC|disk is full|database or disk is full/i.test(messageOf(err))) {
    return new StorageError('NoSpace', `no space left to write the database ${path}: ${messageOf(err)}`, key, undefined, cause);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StorageError(
      'Corrupt',
      `the database file ${path} is corrupt or not a SQLite database (${code}: ${messageOf(err)})`,
      key,
      undefined,
      cause,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError(
      'Internal',
      `the database ${path} is locked: another process (or another store in this process) has it open; ` +
        `only one Kite server may use a data directory at a time`,
      key,
      undefined,
      cause,
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_IOERR')) {
    return new StorageError('Internal', `cannot use the database ${path} (${code}: ${messageOf(err)})`, key, undefined, cause);
  }
  return new StorageError('Internal', `sqlite error on ${path}: ${messageOf(err)}`, key, undefined, cause);
};
