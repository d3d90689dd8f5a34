// `npm run bench -- storage`: the cluster state store on each backend, beside the raw engine
// measured in the same run. Creates/s and guaranteedUpdate/s (1 and 16 writers), a 10,000-key
// list, and watch delivery latency at 1,000 writes/s. Prints a markdown table for
// docs/benchmarks.md. `--quick` runs smaller counts.

import Database from 'better-sqlite3';
import { Etcd3 } from 'etcd3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/object.js';
import type { Backend } from '../src/storage/backend.js';
import { encodeObject } from '../src/storage/codec.js';
import { openBackend } from '../src/storage/open.js';
import { ObjectStore } from '../src/storage/store.js';
import { startEtcd } from '../test/support/etcd-process.js';
import { fmt, machine, markdownTable, nowMs, summarize, throughput } from './support/stats.js';

const quick = process.argv.includes('--quick');
/** Raw and Kite rounds, alternated: disk fsync rates drift, so medians are compared. */
const ROUNDS = quick ? 3 : 5;
const N = {
  creates1: quick ? 300 : 2000,
  creates16: quick ? 1000 : 8000,
  updateKeys: 1000,
  updates: quick ? 1000 : 5000,
  listKeys: 10_000,
  watchSeconds: quick ? 1 : 3,
};

/** A pod-sized object (~1.2 KB of JSON), like the ones the API server will store. */
function pod(name: string, generation = 1): KubeObject & Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'bench',
      uid: `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`,
      generation,
      creationTimestamp: '2026-11-22T00:00:00Z',
      labels: { app: 'bench', tier: 'web', 'pod-template-hash': '5d8f7c9b6' },
    },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'app',
          image: 'registry.local/bench/app:1.0',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          env: Array.from({ length: 6 }, (_, i) => ({ name: `VAR_${i}`, value: `value-${i}-${'x'.repeat(20)}` })),
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
    status: { phase: 'Running', podIP: '10.244.1.17', hostIP: '10.0.0.1', startTime: '2026-11-22T00:00:01Z' },
  };
}

interface Row {
  backend: string;
  measure: string;
  kite: string;
  raw: string;
  ratio: string;
}

async function rawSqliteRate(dir: string, count: number): Promise<number> {
  const db = new Database(join(mkdtempSync(join(dir, 'raw-')), 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE kv (name TEXT PRIMARY KEY, value BLOB)');
  const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
  const start = nowMs();
  for (let i = 0; i < count; i++) {
    const key = `/registry/pods/bench/raw-${i}`;
    insert.run(key, encodeObject(key, pod(`raw-${i}`))); // autocommit: one durable transaction each
  }
  const rate = (count / (nowMs() - start)) * 1000;
  db.close();
  return rate;
}

async function rawEtcdRate(endpoint: string, count: number, concurrency: number, tag: string): Promise<number> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    const values = Array.from({ length: count }, (_, i) => Buffer.from(encodeObject('k', pod(`raw-${i}`))));
    return await throughput(count, concurrency, (i) => client.put(`/raw/${tag}/${i}`).value(values[i] as Buffer).exec());
  } finally {
    client.close();
  }
}

interface WatchLatency {
  /** From the write's acknowledgement to the watcher having the event (0 when it came first). */
  delivery: { p50: number; p99: number };
  /** From issuing the write to the watcher having the event (includes the commit). */
  endToEnd: { p50: number; p99: number };
}

async function watchLatency(store: ObjectStore, prefix: string, writers: number, seconds: number): Promise<WatchLatency> {
  const rate = 1000;
  const total = rate * seconds;
  const timings = new Map<string, { issued: number; acked?: number; seen?: number }>();
  let seen = 0;
  const watch = await store.watch(prefix, { resourceVersion: await store.currentResourceVersion() });
  const consumed = (async () => {
    for await (const event of watch) {
      if (event.type === 'PROGRESS') continue;
      const timing = timings.get(event.object.metadata?.name as string);
      if (timing) timing.seen = nowMs();
      if (++seen === total) break;
    }
  })();
  const start = nowMs();
  const interval = 1000 / rate;
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < total; i = next++) {
        const due = start + i * interval;
        const wait = due - nowMs();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const name = `w${writers}-${i}`;
        const timing: { issued: number; acked?: number; seen?: number } = { issued: nowMs() };
        timings.set(name, timing);
        await store.create(`${prefix}${name}`, pod(name));
        timing.acked = nowMs();
      }
    }),
  );
  await consumed;
  watch.stop();
  const all = [...timings.values()];
  const delivery = summarize(all.map((t) => Math.max(0, (t.seen as number) - (t.acked as number))));
  const endToEnd = summarize(all.map((t) => (t.seen as number) - t.issued));
  return { delivery: { p50: delivery.p50, p99: delivery.p99 }, endToEnd: { p50: endToEnd.p50, p99: endToEnd.p99 } };
}

async function benchBackend(name: 'sqlite' | 'etcd', backend: Backend, raw: (count: number, concurrency: number) => Promise<number>): Promise<Row[]> {
  const store = new ObjectStore(backend);
  const rows: Row[] = [];
  const add = (measure: string, kite: number, rawRate?: number, digits = 0, second?: number) =>
    rows.push({
      backend: name,
      measure,
      kite: second === undefined ? fmt(kite, digits) : `${fmt(kite, digits)} / ${fmt(second, digits)}`,
      raw: rawRate === undefined ? '' : fmt(rawRate, digits),
      ratio: rawRate === undefined ? '' : `${fmt((kite / rawRate) * 100)} %`,
    });
  const log = (m: string) => process.stderr.write(`[${name}] ${m}\n`);

  for (const [writers, count] of [
    [1, N.creates1],
    [16, N.creates16],
  ] as const) {
    log(`creates, ${writers} writer(s)`);
    // The disk's fsync rate drifts: alternate raw and Kite rounds and compare the medians.
    const rawRates: number[] = [];
    const kiteRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawRates.push(await raw(count, writers));
      kiteRates.push(
        await throughput(count, writers, (i) =>
          store.create(`/registry/pods/bench/c${writers}-${round}-${i}`, pod(`c${writers}-${round}-${i}`)),
        ),
      );
    }
    const rawRate = summarize(rawRates).p50;
    const kite = summarize(kiteRates).p50;
    add(`creates/s, ${writers} writer${writers > 1 ? 's' : ''} (median of ${ROUNDS} rounds)`, kite, rawRate);
  }

  log('guaranteedUpdate');
  await throughput(N.updateKeys, 16, (i) => store.create(`/registry/pods/upd/u${i}`, pod(`u${i}`)));
  for (const writers of [1, 16]) {
    const kite = await throughput(N.updates, writers, (i) =>
      store.guaranteedUpdate(`/registry/pods/upd/u${(i * 7919) % N.updateKeys}`, (cur) => ({
        ...cur,
        metadata: { ...cur.metadata, generation: (cur.metadata?.generation ?? 0) + 1 },
      })),
    );
    add(`guaranteedUpdate/s on ${N.updateKeys} keys, ${writers} writer${writers > 1 ? 's' : ''}`, kite);
  }

  log('list 10,000');
  await throughput(N.listKeys, 16, (i) => store.create(`/registry/pods/list/p${i}`, pod(`p${i}`)));
  const times: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const start = nowMs();
    const list = await store.list('/registry/pods/list/');
    times.push(nowMs() - start);
    if (list.items.length !== N.listKeys) throw new Error(`listed ${list.items.length} of ${N.listKeys}`);
  }
  add(`list of ${fmt(N.listKeys)} objects, ms (median of 5)`, summarize(times).p50, undefined, 1);

  for (const writers of [1, 16]) {
    log(`watch latency, ${writers} writer(s)`);
    const w = await watchLatency(store, `/registry/pods/watch${writers}/`, writers, N.watchSeconds);
    const label = `1,000 writes/s, ${writers} writer${writers > 1 ? 's' : ''}`;
    add(`watch delivery after ack p50 / p99, ms, ${label}`, w.delivery.p50, undefined, 2, w.delivery.p99);
    add(`write to watch event p50 / p99, ms (includes commit), ${label}`, w.endToEnd.p50, undefined, 2, w.endToEnd.p99);
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-'));
  try {
    const sqlite = await openBackend({ kind: 'sqlite', path: join(dir, 'state.db') });
    rows.push(...(await benchBackend('sqlite', sqlite, (count) => rawSqliteRate(dir, count))));
    await sqlite.close();

    const etcd = await startEtcd();
    try {
      const backend = await openBackend({ kind: 'etcd', endpoints: [etcd.endpoint] });
      let tag = 0;
      rows.push(...(await benchBackend('etcd', backend, (count, c) => rawEtcdRate(etcd.endpoint, count, c, String(tag++)))));
      await backend.close();
    } finally {
      await etcd.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const command = `npm run bench -- storage${quick ? ' --quick' : ''}`;
  process.stdout.write(`\nCommand: \`${command}\`\nMachine: ${machine()}\nRaw: better-sqlite3, one durable (WAL, synchronous=FULL) transaction per row, same values; etcd puts of the same values through the same client library (etcd3), same concurrency.\n\n`);
  process.stdout.write(
    markdownTable(
      ['backend', 'measure', 'Kite store', 'raw engine', 'Kite / raw'],
      rows.map((r) => [r.backend, r.measure, r.kite, r.raw, r.ratio]),
    ) + '\n',
  );
}

await main();
