// Child process for test/durability-sqlite.test.ts: opens the SQLite store at argv[2] (synchronous
// 'full') and writes forever with argv[3] concurrent writers, printing one line per acknowledged
// write on stdout — "C <key> <revision>" for a create, "U <key> <revision> <count>" for an update of
// the writer's counter key — until the parent kills it. Any failure prints "E <message>" and exits 1.
import { openSqliteBackend } from '../../src/storage/sqlite/index.js';

const [path, writersArg, round] = process.argv.slice(2);
if (!path || !writersArg || !round) {
  process.stderr.write('usage: sqlite-writer-child <db path> <writers> <round>\n');
  process.exit(2);
}
const store = openSqliteBackend({ path, synchronous: 'full' });
const encoder = new TextEncoder();
const padding = 'x'.repeat(200);

const fail = (err: unknown): never => {
  process.stdout.write(`E ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
};

const writer = async (w: number): Promise<void> => {
  const counterKey = `/counter/r${round}/w${w}`;
  const first = await store.create(counterKey, encoder.encode('0'));
  if (!first.ok) fail(new Error(`counter ${counterKey} exists`));
  let counterRevision = first.ok ? first.revision : 0;
  for (let i = 0; ; i++) {
    const key = `/dur/r${round}/w${w}/${i}`;
    const created = await store.create(key, encoder.encode(`${key}:${padding}`));
    if (!created.ok) fail(new Error(`create of ${key} lost its compare-and-swap`));
    if (created.ok) process.stdout.write(`C ${key} ${created.revision}\n`);
    if (i % 4 === 3) {
      const count = String(i + 1);
      const updated = await store.update(counterKey, encoder.encode(count), counterRevision);
      if (!updated.ok) fail(new Error(`update of ${counterKey} lost its compare-and-swap`));
      if (updated.ok) {
        counterRevision = updated.revision;
        process.stdout.write(`U ${counterKey} ${updated.revision} ${count}\n`);
      }
    }
  }
};

process.stdout.write('READY\n');
Promise.all(Array.from({ length: Number(writersArg) }, (_, w) => writer(w))).catch(fail);
