// Conversion of log rows into the contract's shapes: a row as a KeyValue (what reads return) and as
// a BackendEvent (what watches deliver; replays build them from the rows' kept previous values).
import type { BackendEvent, KeyValue } from '../backend.js';
import type { KvRow, LogRow } from './statements.js';

const EMPTY = new Uint8Array(0);

export const rowToKeyValue = (row: KvRow): KeyValue => ({
  key: row.name,
  value: row.value ?? EMPTY,
  createRevision: row.create_revision,
  modRevision: row.id,
});

export const rowToEvent = (row: LogRow): BackendEvent => {
  if (row.deleted) {
    return {
      type: 'delete',
      key: row.name,
      revision: row.id,
      created: false,
      prevValue: row.old_value ?? EMPTY,
      prevRevision: row.prev_revision,
    };
  }
  if (row.created) {
    return { type: 'put', key: row.name, revision: row.id, created: true, value: row.value ?? EMPTY };
  }
  return {
    type: 'put',
    key: row.name,
    revision: row.id,
    created: false,
    value: row.value ?? EMPTY,
    prevValue: row.old_value ?? EMPTY,
    prevRevision: row.prev_revision,
  };
};
