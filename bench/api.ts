// `npm run bench -- api`: the API server over HTTP/2, on each store backend — pod creates/s with
// p50/p99 latency from 16 concurrent clients, get p99, LIST of 10,000 pods (JSON and Table), and
// watch fan-out delivery latency to 1,000 watchers — beside the store's own create rate (the same
// pods through ObjectStore in-process, 16 writers) and the raw engine's, measured in the same run.
// `--quick` runs smaller counts; `--store sqlite|etcd` runs one backend; `--pods N` sets the number
// of creates; `--creates-only` stops each server after the creates; `--cpu-prof DIR` profiles the
// `kite server` child into DIR. Prints a markdown table for docs/benchmarks.md.

import Database from 'better-sqlite3';
import { Etcd3 } from 'etcd3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/object.js';
import { openBackend, type StorageConfig } from '../src/storage/open.js';
import { ObjectStore } from '../src/storage/store.js';
import { startEtcd } from '../test/support/etcd-process.js';
import { startKite } from '../test/support/kite-process.js';
import { H2Client } from './support/h2-client.js';
import { fmt, machine, markdownTable, nowMs, summarize, throughput } from './support/stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const createsOnly = argv.includes('--creates-only');
function flag(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
const onlyStore = flag('--store');
if (onlyStore !== undefined && onlyStore !== 'sqlite' && onlyStore !== 'etcd') throw new Error('--store: sqlite or etcd');
const podsFlag = flag('--pods');
const cpuProfDir = flag('--cpu-prof');
const N = {
  creates: podsFlag ? Number(podsFlag) : quick ? 2000 : 20_000,
  clients: 16,
  gets: quick ? 1000 : 5000,
  list: quick ? 2000 : 10_000,
  watchers: quick ? 200 : 1000,
  watchEvents: quick ? 20 : 50,
};

function pod(name: string): KubeObject & Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: 'bench', tier: 'web' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.local/bench/app:1.0',
          ports: [{ containerPort: 8080 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
          env: Array.from({ length: 4 }, (_, i) => ({ name: `VAR_${i}`, value: `value-${i}` })),
        },
      ],
    },
  };
}

interface Row {
  backend: string;
  measure: string;
  value: string;
  reference: string;
  ratio: string;
}

async function storeRate(config: StorageConfig, count: number): Promise<number> {
  const backend = await openBackend(config);
  const store = new ObjectStore(backend);
  try {
    return await throughput(count, N.clients, (i) => store.create(`/registry/pods/bench/store-${i}`, pod(`store-${i}`)));
  } finally {
    await store.close();
  }
}

function rawSqliteRate(dir: string, count: number): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE kv (name TEXT PRIMARY KEY, value BLOB)');
  const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
  const start = nowMs();
  for (let i = 0; i < count; i++) insert.run(`/registry/pods/bench/raw-${i}`, Buffer.from(JSON.stringify(pod(`raw-${i}`))));
  const rate = (count / (nowMs() - start)) * 1000;
  db.close();
  return rate;
}

async function rawEtcdRate(endpoint: string, count: number): Promise<number> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return await throughput(count, N.clients, (i) => client.put(`/raw/pods/${i}`).value(JSON.stringify(pod(`raw-${i}`))).exec());
  } finally {
    client.close();
  }
}

async function benchServer(name: string, args: string[], dataDir: string, storeReference: number, rawReference?: number): Promise<Row[]> {
  const rows: Row[] = [];
  const log = (m: string) => process.stderr.write(`[${name}] ${m}\n`);
  const add = (measure: string, value: string, reference = '', ratio = '') => rows.push({ backend: name, measure, value, reference, ratio });
  const server = startKite(
    ['server', '--data-dir', dataDir, '--port', '0', '--kubelet-port', '0', '--disable-scheduler', '--disable-controller-manager', '--disable-admission-plugins', 'ServiceAccount', ...args],
    process.env,
    cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [],
  );
  try {
    const ready = await server.waitFor(/ready.*url="/, 60_000);
    const url = /url="([^"]+)"/.exec(ready)?.[1] as string;
    const clients = Array.from({ length: N.clients }, () => new H2Client(url, dataDir));
    const admin = clients[0] as H2Client;
    await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });

    log(`creates (${N.creates}, ${N.clients} clients)`);
    const latencies: number[] = [];
    let next = 0;
    const start = nowMs();
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < N.creates; i = next++) {
          const t = nowMs();
          const r = await client.request('POST', '/api/v1/namespaces/bench/pods', pod(`p-${i}`));
          latencies.push(nowMs() - t);
          if (r.status !== 201) throw new Error(`create: ${r.status} ${r.body}`);
        }
      }),
    );
    const rate = (N.creates / (nowMs() - start)) * 1000;
    const created = summarize(latencies);
    add('pod creates/s over HTTP/2, 16 clients', fmt(rate), `${fmt(storeReference)} (store)`, `${fmt((rate / storeReference) * 100)} %`);
    if (rawReference) add('pod creates/s vs the raw engine (16 writers)', fmt(rate), `${fmt(rawReference)} (raw)`, `${fmt((rate / rawReference) * 100)} %`);
    add('create latency p50 / p99, ms', `${fmt(created.p50, 1)} / ${fmt(created.p99, 1)}`);
    if (createsOnly) {
      for (const c of clients) c.close();
      return rows;
    }

    log('gets');
    const getLatencies: number[] = [];
    let g = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let i = g++; i < N.gets; i = g++) {
          const t = nowMs();
          const r = await client.request('GET', `/api/v1/namespaces/bench/pods/p-${(i * 7919) % N.creates}`);
          getLatencies.push(nowMs() - t);
          if (r.status !== 200) throw new Error(`get: ${r.status}`);
        }
      }),
    );
    const gets = summarize(getLatencies);
    add('get latency p50 / p99, ms, 16 clients at full speed', `${fmt(gets.p50, 2)} / ${fmt(gets.p99, 2)}`);
    const single: number[] = [];
    for (let i = 0; i < Math.min(N.gets, 2000); i++) {
      const t = nowMs();
      const r = await admin.request('GET', `/api/v1/namespaces/bench/pods/p-${(i * 7919) % N.creates}`);
      single.push(nowMs() - t);
      if (r.status !== 200) throw new Error(`get: ${r.status}`);
    }
    const one = summarize(single);
    add('get latency p50 / p99, ms, one client', `${fmt(one.p50, 2)} / ${fmt(one.p99, 2)}`);

    log(`list of ${N.list}`);
    // The list namespace holds exactly N.list pods.
    await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listing' } });
    let l = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let i = l++; i < N.list; i = l++) {
          const p = pod(`l-${i}`);
          (p.metadata as { namespace: string }).namespace = 'listing';
          await client.request('POST', '/api/v1/namespaces/listing/pods', p);
        }
      }),
    );
    for (const [label, headers] of [
      ['JSON', {}],
      ['Table', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' }],
    ] as const) {
      const times: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const t = nowMs();
        const r = await admin.request('GET', '/api/v1/namespaces/listing/pods', undefined, headers);
        times.push(nowMs() - t);
        if (r.status !== 200) throw new Error(`list: ${r.status}`);
      }
      add(`LIST ${fmt(N.list)} pods (${label}), ms, median of 5`, fmt(summarize(times).p50, 1));
    }

    log(`watch fan-out (${N.watchers} watchers)`);
    const rv = (JSON.parse((await admin.request('GET', '/api/v1/namespaces/bench/pods?limit=1')).body) as { metadata: { resourceVersion: string } })
      .metadata.resourceVersion;
    const acked = new Map<string, number>();
    const delivery: number[] = [];
    let received = 0;
    const watchSessions = Array.from({ length: Math.ceil(N.watchers / 250) }, () => new H2Client(url, dataDir));
    const watches = await Promise.all(
      Array.from({ length: N.watchers }, (_, w) =>
        (watchSessions[w % watchSessions.length] as H2Client).watch(`/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${rv}&labelSelector=app%3Dfan`, (line) => {
          const name = (JSON.parse(line) as { object: { metadata: { name: string } } }).object.metadata.name;
          const at = acked.get(name);
          const now = nowMs();
          if (at !== undefined) delivery.push(Math.max(0, now - at));
          received++;
        }),
      ),
    );
    for (let i = 0; i < N.watchEvents; i++) {
      const p = pod(`fan-${i}`);
      (p.metadata as { labels: Record<string, string> }).labels = { app: 'fan' };
      const r = await admin.request('POST', '/api/v1/namespaces/bench/pods', p);
      if (r.status !== 201) throw new Error(`fan create: ${r.status}`);
      acked.set(`fan-${i}`, nowMs());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const deadline = nowMs() + 30_000;
    while (received < N.watchers * N.watchEvents && nowMs() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const fan = summarize(delivery);
    add(
      `watch fan-out: ${fmt(N.watchers)} watchers × ${N.watchEvents} events, delivery after ack p50 / p99, ms`,
      `${fmt(fan.p50, 1)} / ${fmt(fan.p99, 1)}`,
      `${fmt(received)} of ${fmt(N.watchers * N.watchEvents)} delivered`,
    );
    for (const w of watches) w.close();
    for (const s of watchSessions) s.close();
    for (const c of clients) c.close();
  } finally {
    server.kill('SIGTERM');
    await server.exited;
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-api-'));
  try {
    if (onlyStore !== 'etcd') {
      const raw = rawSqliteRate(mkdtempSync(join(dir, 'raw-')), quick ? 1000 : 5000);
      const store = await storeRate({ kind: 'sqlite', path: join(mkdtempSync(join(dir, 'store-')), 'state.db') }, N.creates);
      rows.push(...(await benchServer('sqlite', [], mkdtempSync(join(dir, 'sqlite-')), store, raw)));
    }
    if (onlyStore !== 'sqlite') {
      const etcd = await startEtcd();
      try {
        const etcdStore = await storeRate({ kind: 'etcd', endpoints: [etcd.endpoint] }, Math.min(N.creates, 5000));
        const etcdRaw = await rawEtcdRate(etcd.endpoint, Math.min(N.creates, 5000));
        rows.push(...(await benchServer('etcd', ['--store', 'etcd', '--etcd-servers', etcd.endpoint], mkdtempSync(join(dir, 'etcd-')), etcdStore, etcdRaw)));
      } finally {
        await etcd.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nCommand: \`npm run bench -- api${argv.length ? ` ${argv.join(' ')}` : ''}\`\nMachine: ${machine()}\n\n`);
  process.stdout.write(markdownTable(['backend', 'measure', 'Kite API', 'reference', 'ratio'], rows.map((r) => [r.backend, r.measure, r.value, r.reference, r.ratio])) + '\n');
}

await main();
