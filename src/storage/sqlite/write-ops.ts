// The compare-and-swap writes, applied one at a time inside the group-commit transaction: each op
// reads its key's latest row (seeing the rows earlier ops of the same batch wrote), checks its
// condition and appends one row, returning its result and the event to publish after the commit.
import type { BackendEvent, WriteResult } from '../backend.js';
import { rowToKeyValue } from './rows.js';
import type { Statements } from './statements.js';

export type WriteOp =
  | { kind: 'create'; key: string; value: Uint8Array }
  | { kind: 'update'; key: string; value: Uint8Array; expectedRevision: number }
  | { kind: 'delete'; key: string; expectedRevision: number };

export interface AppliedWrite {
  result: WriteResult;
  event?: BackendEvent;
}

/** Apply `op` as revision `nextRevision` (used only if the op succeeds). Must run inside a
 *  transaction. */
export const applyWrite = (stmts: Statements, op: WriteOp, nextRevision: number): AppliedWrite => {
  const latest = stmts.latest.get(op.key);
  const live = latest !== undefined && latest.deleted === 0 ? latest : undefined;
  if (op.kind === 'create') {
    if (live) return { result: { ok: false, current: rowToKeyValue(live) } };
    stmts.insert.run({
      id: nextRevision,
      name: op.key,
      created: 1,
      deleted: 0,
      create_revision: nextRevision,
      prev_revision: latest?.id ?? 0,
      value: op.value,
      old_value: null,
    });
    return {
      result: { ok: true, revision: nextRevision },
      event: { type: 'put', key: op.key, revision: nextRevision, created: true, value: op.value },
    };
  }
  if (!live || live.id !== op.expectedRevision) {
    return { result: live ? { ok: false, current: rowToKeyValue(live) } : { ok: false } };
  }
  const prev = rowToKeyValue(live);
  const isDelete = op.kind === 'delete';
  stmts.insert.run({
    id: nextRevision,
    name: op.key,
    created: 0,
    deleted: isDelete ? 1 : 0,
    create_revision: live.create_revision,
    prev_revision: live.id,
    value: isDelete ? null : op.value,
    old_value: prev.value,
  });
  const event: BackendEvent = isDelete
    ? { type: 'delete', key: op.key, revision: nextRevision, created: false, prevValue: prev.value, prevRevision: live.id }
    : {
        type: 'put',
        key: op.key,
        revision: nextRevision,
        created: false,
        value: op.value,
        prevValue: prev.value,
        prevRevision: live.id,
      };
  return { result: { ok: true, revision: nextRevision, prev }, event };
};
