// Child process for the etcd durability test: opens the etcd backend on the endpoint given as
// argv[2] and writes continuously with several concurrent writers (creates, and updates of keys it
// created), printing one line per acknowledged write: "ack <revision> <key> <value>". Exits 1 with
// "error <code> <message>" on the first failure (e.g. when the test kills etcd).

import { openEtcdBackend } from '../../src/storage/etcd/index.js';

const endpoint = process.argv[2];
const writers = Number(process.argv[3] ?? 8);
if (!endpoint) {
  process.stderr.write('usage: etcd-writer-child <endpoint> [writers]\n');
  process.exit(2);
}

const backend = await openEtcdBackend({ endpoints: [endpoint], requestTimeoutMs: 3000 });
const encoder = new TextEncoder();

async function writer(id: number): Promise<void> {
  const revisions = new Map<string, number>();
  for (let n = 0; ; n++) {
    // every third write updates one of this writer's keys, the rest create new ones
    const key = n % 3 === 2 ? `/durability/w${id}/${n - 1}` : `/durability/w${id}/${n}`;
    const value = `w${id}-n${n}`;
    const expected = revisions.get(key);
    const result =
      expected === undefined
        ? await backend.create(key, encoder.encode(value))
        : await backend.update(key, encoder.encode(value), expected);
    if (!result.ok) throw new Error(`write of ${key} lost its compare-and-swap`);
    revisions.set(key, result.revision);
    process.stdout.write(`ack ${result.revision} ${key} ${value}\n`);
  }
}

try {
  await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
} catch (err) {
  const code = (err as { code?: string }).code ?? 'unknown';
  process.stdout.write(`error ${code} ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  process.exit(1);
}
