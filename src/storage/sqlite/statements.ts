// Every SQL statement the backend runs, prepared once per open database. Reads pick, for each key,
// its latest row at or below a revision (the row with the largest id); a tombstone there means the
// key does not exist at that revision. Range scans walk the (name, id) index in key order, so a
// limited list stops after `limit` keys instead of reading the whole range.
import type Database from 'better-sqlite3';

/** A log row as the read statements return it. */
export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: Buffer | null;
  old_value: Buffer | null;
}

/** The columns reads of keys need (not the previous value, which only watches use). */
export type KvRow = Pick<LogRow, 'id' | 'name' | 'deleted' | 'create_revision' | 'value'>;

/** The parameters of an insert: one new row of the log. */
export interface InsertParams {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: Uint8Array | null;
  old_value: Uint8Array | null;
}

const COLUMNS = `id, name, created, deleted, create_revision, prev_revision, value, old_value`;
const KV_COLUMNS = `id, name, deleted, create_revision, value`;
/** The key's latest row at or below @rev. */
const LATEST_AT = `l.id = (SELECT MAX(i.id) FROM kite_log i WHERE i.name = l.name AND i.id <= @rev)`;

export class Statements {
  /** The key's latest row (tombstone included). */
  readonly latest: Database.Statement<[string], LogRow>;
  /** The key's latest row at or below a revision. */
  readonly latestAt: Database.Statement<{ name: string; rev: number }, KvRow>;
  readonly insert: Database.Statement<InsertParams>;
  /** Live keys in [@start, @end) at @rev, in key order, at most @limit (-1: all). */
  readonly listBounded: Database.Statement<{ start: string; end: string; rev: number; limit: number }, KvRow>;
  readonly listUnbounded: Database.Statement<{ start: string; rev: number; limit: number }, KvRow>;
  readonly countBounded: Database.Statement<{ start: string; end: string; rev: number }, { n: number }>;
  readonly countUnbounded: Database.Statement<{ start: string; rev: number }, { n: number }>;
  /** Rows with @after < id <= @upto, in revision order, at most @limit; for watch replays. */
  readonly rowsBounded: Database.Statement<{ after: number; upto: number; start: string; end: string; limit: number }, LogRow>;
  readonly rowsUnbounded: Database.Statement<{ after: number; upto: number; start: string; limit: number }, LogRow>;
  readonly rowsOfKey: Database.Statement<{ after: number; upto: number; name: string; limit: number }, LogRow>;
  /** Compaction of the rows with @lo <= id < @hi, for a compaction at @rev (@hi <= @rev). */
  readonly compactRange: Database.Statement<{ lo: number; hi: number; rev: number }>;
  readonly minId: Database.Statement<[], { id: number | null }>;
  readonly setMeta: Database.Statement<{ key: string; value: number }>;

  constructor(db: Database.Database) {
    this.latest = db.prepare(`SELECT ${COLUMNS} FROM kite_log WHERE name = ? ORDER BY id DESC LIMIT 1`);
    this.latestAt = db.prepare(`SELECT ${KV_COLUMNS} FROM kite_log WHERE name = @name AND id <= @rev ORDER BY id DESC LIMIT 1`);
    this.insert = db.prepare(
      `INSERT INTO kite_log (${COLUMNS}) VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @value, @old_value)`,
    );
    const list = (range: string): string =>
      `SELECT ${KV_COLUMNS} FROM kite_log l WHERE ${range} AND l.id <= @rev AND ${LATEST_AT} AND l.deleted = 0
       ORDER BY l.name LIMIT @limit`;
    this.listBounded = db.prepare(list(`l.name >= @start AND l.name < @end`));
    this.listUnbounded = db.prepare(list(`l.name >= @start`));
    const count = (range: string): string =>
      `SELECT COUNT(*) AS n FROM kite_log l WHERE ${range} AND l.id <= @rev AND ${LATEST_AT} AND l.deleted = 0`;
    this.countBounded = db.prepare(count(`l.name >= @start AND l.name < @end`));
    this.countUnbounded = db.prepare(count(`l.name >= @start`));
    const rows = (match: string): string =>
      `SELECT ${COLUMNS} FROM kite_log WHERE id > @after AND id <= @upto AND ${match} ORDER BY id LIMIT @limit`;
    // `+name`: walk the revision range (the primary key), never the whole prefix in the name index.
    this.rowsBounded = db.prepare(rows(`+name >= @start AND +name < @end`));
    this.rowsUnbounded = db.prepare(rows(`+name >= @start`));
    this.rowsOfKey = db.prepare(rows(`name = @name`));
    // A row before the compaction revision goes if it is a tombstone (the key is absent at @rev and
    // the delete event is before any watch may start) or if a later row at or below @rev supersedes it.
    this.compactRange = db.prepare(
      `DELETE FROM kite_log WHERE id >= @lo AND id < @hi AND (deleted = 1 OR EXISTS (
         SELECT 1 FROM kite_log n WHERE n.name = kite_log.name AND n.id > kite_log.id AND n.id <= @rev))`,
    );
    this.minId = db.prepare(`SELECT MIN(id) AS id FROM kite_log`);
    this.setMeta = db.prepare(`INSERT OR REPLACE INTO kite_meta (key, value) VALUES (@key, @value)`);
  }
}
