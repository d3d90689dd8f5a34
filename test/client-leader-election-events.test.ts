// Leader election and the event recorder against a real `kite server`: two (then three)
// candidates on the real Lease API hand leadership over — when the leader loses the server, and
// when it releases the lease on shutdown — never both leading; and repeated and similar events are
// aggregated on the real core/v1 Events API.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { EventBroadcaster } from '../src/client/events/broadcaster.js';
import { LeaderElector } from '../src/client/leaderelection/leader-elector.js';
import { LeaseLock } from '../src/client/leaderelection/lease-lock.js';
import { FlakyLeaseApi } from '../src/client/leaderelection/test-support.js';
import { apiClient, type ApiClient } from './support/api-client.js';
import { restEventSink } from '../src/client/events/index.js';
import { restLeaseApi } from '../src/client/leaderelection/index.js';
import { RestClient } from '../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

const NS = 'kube-system';
const LEASE = 'kite-test-election';
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
// Short timings so the test runs in seconds; the same ratios as the 15 s / 10 s / 2 s defaults.
const TIMING = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 };

describe('client machinery against a real kite server', () => {
  let server: KiteServer;
  let client: ApiClient;
  let rest: RestClient;
  const dir = mkdtempSync(join(tmpdir(), 'kite-client-'));

  before(async () => {
    server = await startKiteServer(dir);
    client = apiClient(server.url, dir);
    rest = RestClient.fromKubeconfig(join(dir, 'admin.kubeconfig'), { overrides: { qps: 100, burst: 200 } });
  });

  after(async () => {
    client?.close();
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands leadership over on the real Lease API, with no split brain', async () => {
    const leading = new Set<string>();
    const log: string[] = [];
    const overlaps: string[] = [];
    const candidate = (id: string, releaseOnCancel: boolean) => {
      const https = restLeaseApi(rest);
      const state = { id, api: undefined as unknown as FlakyLeaseApi, stop: new AbortController(), startedAt: 0, stoppedAt: 0, lastWrite: 0, writes: 0, done: Promise.resolve() };
      // Remember when this candidate's last successful write (its last renewal) was stamped.
      const noteWrite = (lease: Lease) => {
        state.writes++;
        state.lastWrite = Date.parse(lease.spec?.renewTime ?? '') || state.lastWrite;
        return lease;
      };
      const api = new FlakyLeaseApi({
        get: (ns, name) => https.get(ns, name),
        create: (lease) => https.create(lease).then(noteWrite),
        update: (lease) => https.update(lease).then(noteWrite),
      });
      state.api = api;
      const stop = state.stop;
      const elector = new LeaderElector({
        lock: new LeaseLock({ namespace: NS, name: LEASE, identity: id, client: api }),
        ...TIMING,
        releaseOnCancel,
        callbacks: {
          onStartedLeading: () => {
            if (leading.size > 0) overlaps.push(`${id} started while ${[...leading].join(',')} led`);
            leading.add(id);
            state.startedAt = Date.now();
            log.push(`${id} started`);
          },
          onStoppedLeading: () => {
            leading.delete(id);
            state.stoppedAt = Date.now();
            log.push(`${id} stopped`);
          },
        },
      });
      state.done = elector.run(stop.signal);
      return state;
    };
    const getLease = async () => (await client.request('GET', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${LEASE}`)).json<Lease>();

    const a = candidate('candidate-a', false);
    await waitUntil('candidate-a leads', () => leading.has('candidate-a'));
    const b = candidate('candidate-b', true);
    // While a keeps renewing (several renewals, well past a lease duration), b only follows.
    const renewals = a.writes;
    await waitUntil('candidate-a renews while candidate-b follows', () => a.writes >= renewals + 2 * Math.ceil(TIMING.leaseDurationMs / TIMING.retryPeriodMs), {
      timeoutMs: 20_000,
    });
    assert.deepEqual([...leading], ['candidate-a'], 'b follows while a renews');

    let lease = await getLease();
    assert.equal(lease.spec?.holderIdentity, 'candidate-a');
    assert.equal(lease.spec?.leaseDurationSeconds, 3);
    assert.equal(lease.spec?.leaseTransitions, 0);
    assert.match(lease.spec?.renewTime ?? '', MICRO_TIME);
    assert.match(lease.spec?.acquireTime ?? '', MICRO_TIME);
    assert.ok(Date.now() - Date.parse(lease.spec!.renewTime!) < 2 * TIMING.retryPeriodMs + 500, 'renewed recently');

    // The leader loses the API server: it steps down within the renew deadline, and b takes over
    // once the lease has gone unrenewed for its duration.
    const cutAt = Date.now();
    a.api.mode = 'partitioned';
    await waitUntil('candidate-b leads', () => leading.has('candidate-b'), { timeoutMs: 15_000, describe: () => log.join('; ') });
    await a.done;
    // Liveness (with slack for a loaded machine): a gives up within a retry period plus the renew
    // deadline; b takes over within the lease duration plus about two jittered retry periods.
    assert.ok(a.stoppedAt - cutAt <= TIMING.retryPeriodMs + TIMING.renewDeadlineMs + 1500, `a stopped ${a.stoppedAt - cutAt} ms after the cut`);
    assert.ok(b.startedAt - a.lastWrite <= TIMING.leaseDurationMs + 3 * TIMING.retryPeriodMs + 2000, `b took over ${b.startedAt - a.lastWrite} ms after a's last renewal`);
    // Safety: b never takes a lease that was renewed less than a lease duration ago, and a had
    // stopped leading before b started.
    assert.ok(b.startedAt - a.lastWrite >= TIMING.leaseDurationMs, `b took over ${b.startedAt - a.lastWrite} ms after a's last renewal`);
    assert.ok(a.stoppedAt <= b.startedAt);
    lease = await getLease();
    assert.equal(lease.spec?.holderIdentity, 'candidate-b');
    assert.equal(lease.spec?.leaseTransitions, 1);

    // b shuts down and releases the lease: a fresh candidate takes over at once, not after 3 s.
    const c = candidate('candidate-c', true);
    await waitUntil('candidate-c tries a few times while b holds the lease', () => c.api.calls >= 3, { timeoutMs: 10_000 });
    assert.ok(!leading.has('candidate-c'));
    const releasedAt = Date.now();
    b.stop.abort();
    await b.done;
    assert.equal((await getLease()).spec?.holderIdentity, '');
    await waitUntil('candidate-c leads', () => leading.has('candidate-c'), { timeoutMs: 10_000, describe: () => log.join('; ') });
    assert.ok(c.startedAt - releasedAt < TIMING.leaseDurationMs, `c took over ${c.startedAt - releasedAt} ms after the release`);
    lease = await getLease();
    assert.equal(lease.spec?.holderIdentity, 'candidate-c');
    assert.equal(lease.spec?.leaseTransitions, 2);

    c.stop.abort();
    await c.done;
    assert.deepEqual(overlaps, []);
    assert.deepEqual(log, ['candidate-a started', 'candidate-a stopped', 'candidate-b started', 'candidate-b stopped', 'candidate-c started', 'candidate-c stopped']);
  });

  it('aggregates repeated and similar events on the real Events API', async () => {
    const broadcaster = new EventBroadcaster();
    broadcaster.startRecordingToSink(restEventSink(rest));
    const recorder = broadcaster.newRecorder({ component: 'kite-test', host: 'host-1' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web-0', uid: '8c1f0d0e-0000-4000-8000-000000000001' } };

    for (let i = 0; i < 3; i++) {
      recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app');
      await broadcaster.flush();
    }
    for (let i = 1; i <= 12; i++) recorder.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "v${i}"`);
    recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady');
    await broadcaster.flush();
    await broadcaster.shutdown();

    const list = async (selector: string) =>
      (await client.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(selector)}`)).json<{ items: Event[] }>().items;

    const backoff = await list('involvedObject.name=web-0,reason=BackOff');
    assert.equal(backoff.length, 1, 'one Event object for the repeats');
    assert.equal(backoff[0]!.count, 3);
    assert.equal(backoff[0]!.type, 'Warning');
    assert.deepEqual(backoff[0]!.source, { component: 'kite-test', host: 'host-1' });
    assert.equal(backoff[0]!.reportingComponent, 'kite-test');
    assert.equal(backoff[0]!.reportingInstance, 'host-1');
    assert.match(backoff[0]!.metadata?.name ?? '', /^web-0\.[0-9a-f]{16,}$/);
    assert.ok(Date.parse(backoff[0]!.lastTimestamp!) >= Date.parse(backoff[0]!.firstTimestamp!));

    const mounts = await list('involvedObject.name=web-0,reason=FailedMount');
    const combined = mounts.filter((e) => e.message?.startsWith('(combined from similar events): '));
    assert.equal(mounts.length - combined.length, 9, 'nine distinct events before aggregation');
    assert.equal(combined.length, 1);
    assert.equal(combined[0]!.count, 3, 'the 10th, 11th and 12th');
    assert.equal(combined[0]!.message, '(combined from similar events): MountVolume.SetUp failed for volume "v12"');

    const nodeEvents = await list('involvedObject.kind=Node');
    assert.equal(nodeEvents.length, 1, 'events about cluster-scoped objects go to "default"');
  });
});
