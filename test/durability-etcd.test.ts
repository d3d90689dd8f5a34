// Durability of acknowledged writes on the real-etcd backend: a child process writes
// continuously with several writers and reports each acknowledged write; the test kill -9s etcd
// mid-stream, restarts it on the same data dir, and checks that every acknowledged write is there
// with its value at its revision (reads at the acknowledged revision, so later writes to the same
// key that etcd may or may not have applied do not matter).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openEtcdBackend } from '../src/storage/etcd/index.js';
import { startEtcd } from './support/etcd-process.js';

interface Ack {
  revision: number;
  key: string;
  value: string;
}

/** The writer child next to this module, run the way this module runs (compiled .js or .ts via tsx). */
function childCommand(endpoint: string): { args: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`./support/etcd-writer-child.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { args: [...(ts ? ['--import', 'tsx'] : []), script, endpoint, '8'] };
}

test('every write acknowledged before etcd was killed -9 is there after restart', async () => {
  const etcd = await startEtcd();
  try {
    const child = spawn(process.execPath, childCommand(etcd.endpoint).args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    const acks: Ack[] = [];
    let errorLine = '';
    let killed = false;
    const killAfter = 500;
    let resolveKilled: () => void = () => undefined;
    const killedPromise = new Promise<void>((resolve) => (resolveKilled = resolve));
    const lines = createInterface({ input: child.stdout });
    const linesDone = once(lines, 'close');
    lines.on('line', (line) => {
      const [kind, revision, key, value] = line.split(' ');
      if (kind === 'ack' && revision && key && value !== undefined) {
        acks.push({ revision: Number(revision), key, value });
        if (!killed && acks.length >= killAfter) {
          killed = true;
          etcd.kill9().then(resolveKilled, resolveKilled);
        }
      } else if (kind === 'error') {
        errorLine = line;
      }
    });
    const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await Promise.race([
        killedPromise,
        exited.then(([code]) => {
          throw new Error(`writer exited (${String(code)}) before ${killAfter} acks: ${errorLine} ${stderr}`);
        }),
      ]);
      // the child fails once etcd is gone; its last acks are still in the pipe until it exits
      const [code] = await exited;
      await linesDone;
      assert.equal(code, 1, `writer should fail after the kill; stderr: ${stderr}`);
      assert.match(errorLine, /^error Unreachable /, 'the writer saw etcd as unreachable');
    } finally {
      clearTimeout(bound);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    assert.ok(acks.length >= killAfter);

    await etcd.restart();
    const backend = await openEtcdBackend({ endpoints: [etcd.endpoint] });
    try {
      const decoder = new TextDecoder();
      const missing: string[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
          for (let i = worker; i < acks.length; i += 16) {
            const ack = acks[i] as Ack;
            const { kv } = await backend.get(ack.key, ack.revision);
            if (!kv || kv.modRevision !== ack.revision || decoder.decode(kv.value) !== ack.value) {
              missing.push(`${ack.key}@${ack.revision}=${ack.value} (found ${kv ? `${decoder.decode(kv.value)}@${kv.modRevision}` : 'nothing'})`);
            }
          }
        }),
      );
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${acks.length} acknowledged writes lost`);
      const maxAck = Math.max(...acks.map((a) => a.revision));
      assert.ok((await backend.currentRevision()) >= maxAck);
    } finally {
      await backend.close();
    }
  } finally {
    await etcd.stop();
  }
});
