// Durability of the SQLite store under kill -9: a child process writes with several concurrent
// writers (synchronous 'full') and reports every acknowledged write; the parent kills it mid-stream
// with SIGKILL, reopens the database and checks every acknowledged write is there with its value.
// Two rounds on the same file, so the second also writes on top of a recovered crash.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteBackend } from '../src/storage/sqlite/index.js';

const here = fileURLToPath(import.meta.url);
const ext = extname(here); // '.ts' under tsx, '.js' when compiled into dist/
const childScript = join(dirname(here), 'support', `sqlite-writer-child${ext}`);
const repoRoot = join(dirname(here), '..');

const dir = mkdtempSync(join(tmpdir(), 'kite-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const dbPath = join(dir, 'kite.db');

interface Acks {
  creates: Map<string, number>;
  /** Per counter key: the last acknowledged update. */
  counters: Map<string, { revision: number; count: number }>;
  total: number;
}

/** Run the child until it has acknowledged `killAfter` writes, then SIGKILL it. */
const runAndKill = (round: number, killAfter: number): Promise<Acks> =>
  new Promise((resolve, reject) => {
    const args = ext === '.ts' ? ['--import', 'tsx', childScript] : [childScript];
    const child = spawn(process.execPath, [...args, dbPath, '16', String(round)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Acks = { creates: new Map(), counters: new Map(), total: 0 };
    let stderr = '';
    let killed = false;
    let problem: string | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [kind, key, rev, count] = line.split(' ');
      if (kind === 'C' && key && rev) acks.creates.set(key, Number(rev));
      else if (kind === 'U' && key && rev && count) acks.counters.set(key, { revision: Number(rev), count: Number(count) });
      else if (kind === 'E') problem ??= line;
      else if (kind !== 'READY') problem ??= `unexpected line from the child: ${line}`;
      if (kind === 'C' || kind === 'U') acks.total++;
      if (!killed && acks.total >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    // 'close' comes after stdout ended, so every line the child wrote has been read.
    child.on('close', (code, signal) => {
      if (problem) reject(new Error(`${problem}\n${stderr}`));
      else if (!killed || signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code}, signal ${signal}):\n${stderr}`));
      else resolve(acks);
    });
  });

const verify = async (acks: Acks): Promise<void> => {
  const store = openSqliteBackend({ path: dbPath });
  try {
    const decoder = new TextDecoder();
    let maxRevision = 0;
    for (const [key, revision] of acks.creates) {
      const { kv } = await store.get(key);
      assert.ok(kv, `acknowledged create of ${key} at revision ${revision} is missing after kill -9`);
      assert.equal(kv.modRevision, revision, `revision of ${key}`);
      assert.equal(kv.createRevision, revision);
      assert.ok(decoder.decode(kv.value).startsWith(`${key}:`), `value of ${key}`);
      maxRevision = Math.max(maxRevision, revision);
    }
    for (const [key, { revision, count }] of acks.counters) {
      const { kv } = await store.get(key);
      assert.ok(kv, `counter ${key} is missing`);
      // a later update may have committed without its ack reaching us, never an earlier state
      assert.ok(kv.modRevision >= revision, `${key}: stored revision ${kv.modRevision} < acknowledged ${revision}`);
      assert.ok(Number(decoder.decode(kv.value)) >= count, `${key}: stored count below acknowledged ${count}`);
      if (kv.modRevision === revision) assert.equal(Number(decoder.decode(kv.value)), count);
      maxRevision = Math.max(maxRevision, revision);
    }
    assert.ok((await store.currentRevision()) >= maxRevision);
  } finally {
    await store.close();
  }
};

test('every acknowledged write survives kill -9 (two rounds)', { timeout: 120_000 }, async () => {
  for (const round of [1, 2]) {
    const acks = await runAndKill(round, 600);
    assert.ok(acks.creates.size > 300, `round ${round}: only ${acks.creates.size} creates acknowledged`);
    await verify(acks);
  }
});
