import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { FakeClock } from '../../util/clock.js';
import { LeaderElector, type LeaderElectionConfig } from './leader-elector.js';
import { LeaseLock } from './lease-lock.js';
import { FlakyLeaseApi, InMemoryLeaseApi } from './test-support.js';

const NS = 'kube-system';
const NAME = 'kite-scheduler';
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

const tick = () => new Promise((resolve) => setImmediate(resolve));

interface Candidate {
  id: string;
  elector: LeaderElector;
  api: FlakyLeaseApi;
  leading: boolean;
  started: number;
  stopped: number;
  leaderSignal: AbortSignal | undefined;
  newLeaders: string[];
  stop: AbortController;
  done: Promise<void>;
  finished: boolean;
  /** Clock time of the last onStartedLeading / onStoppedLeading. */
  startedAt: number;
  stoppedAt: number;
}

function candidate(id: string, server: InMemoryLeaseApi, clock: FakeClock, extra: Partial<LeaderElectionConfig> = {}): Candidate {
  const api = new FlakyLeaseApi(server);
  const c: Candidate = {
    id,
    api,
    leading: false,
    started: 0,
    stopped: 0,
    leaderSignal: undefined,
    newLeaders: [],
    stop: new AbortController(),
    done: Promise.resolve(),
    finished: false,
    startedAt: NaN,
    stoppedAt: NaN,
    elector: undefined as unknown as LeaderElector,
  };
  c.elector = new LeaderElector({
    lock: new LeaseLock({ namespace: NS, name: NAME, identity: id, client: api }),
    clock,
    random: () => 0,
    callbacks: {
      onStartedLeading: (signal) => {
        c.leading = true;
        c.started++;
        c.startedAt = clock.now();
        c.leaderSignal = signal;
      },
      onStoppedLeading: () => {
        c.leading = false;
        c.stopped++;
        c.stoppedAt = clock.now();
      },
      onNewLeader: (leader) => void c.newLeaders.push(leader),
    },
    ...extra,
  });
  return c;
}

function start(c: Candidate): void {
  c.done = c.elector.run(c.stop.signal).then(() => void (c.finished = true));
}

/** Steps the clock in small increments, checking after each that at most one candidate leads. */
async function advance(clock: FakeClock, ms: number, candidates: Candidate[], stepMs = 100): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    await tick();
    await clock.step(Math.min(stepMs, ms - t));
    await tick();
    const leaders = candidates.filter((c) => c.leading).map((c) => c.id);
    assert.ok(leaders.length <= 1, `split brain at +${t} ms: ${leaders.join(', ')}`);
  }
}

describe('LeaderElector', () => {
  it('creates the lease when there is none and starts leading', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    start(a);
    await advance(clock, 100, [a]);
    assert.equal(a.leading, true);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.elector.getLeader(), 'a');
    assert.deepEqual(a.newLeaders, ['a']);
    const lease = server.peek(NS, NAME)!;
    assert.equal(lease.apiVersion, 'coordination.k8s.io/v1');
    assert.equal(lease.kind, 'Lease');
    assert.equal(lease.spec?.holderIdentity, 'a');
    assert.equal(lease.spec?.leaseDurationSeconds, 15);
    assert.equal(lease.spec?.leaseTransitions, 0);
    assert.match(lease.spec?.acquireTime ?? '', MICRO_TIME);
    assert.match(lease.spec?.renewTime ?? '', MICRO_TIME);
    assert.equal(lease.spec?.acquireTime, new Date(clock.now() - 100).toISOString().replace('Z', '000Z'));
    a.stop.abort();
    await a.done;
  });

  it('renews every retry period with one write, keeping acquireTime', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    start(a);
    await advance(clock, 100, [a]);
    const first = server.peek(NS, NAME)!;
    const callsBefore = a.api.calls;
    await advance(clock, 2000, [a]);
    const second = server.peek(NS, NAME)!;
    assert.equal(a.api.calls - callsBefore, 1, 'the leader updates without reading first');
    assert.equal(second.spec?.acquireTime, first.spec?.acquireTime);
    assert.equal(Date.parse(second.spec!.renewTime!) - Date.parse(first.spec!.renewTime!), 2000);
    assert.notEqual(second.metadata?.resourceVersion, first.metadata?.resourceVersion);
    await advance(clock, 20_000, [a]);
    // One create, the renew loop's immediate first renewal (as client-go's), then one every 2 s.
    assert.equal(server.writes.length, 1 + 1 + 11);
    assert.equal(a.started, 1);
    a.stop.abort();
    await a.done;
  });

  it('a second candidate waits while the leader renews', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    const b = candidate('b', server, clock);
    start(a);
    await advance(clock, 100, [a, b]);
    start(b);
    await advance(clock, 120_000, [a, b]);
    assert.equal(a.leading, true);
    assert.equal(b.started, 0);
    assert.deepEqual(b.newLeaders, ['a']);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(server.peek(NS, NAME)!.spec?.leaseTransitions, 0);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
    assert.equal(b.stopped, 0, 'onStoppedLeading only follows onStartedLeading');
  });

  for (const failure of ['partitioned', 'hanging'] as const) {
    it(`takes over after the leader stops renewing (${failure}), with no split brain`, async () => {
      const clock = new FakeClock();
      const server = new InMemoryLeaseApi();
      const a = candidate('a', server, clock);
      const b = candidate('b', server, clock);
      start(a);
      await advance(clock, 100, [a, b]);
      start(b);
      await advance(clock, 10_000, [a, b]);
      // Cut the leader off right after a renewal.
      while (server.writes.at(-1)!.holder !== 'a' || a.api.calls === 0) await advance(clock, 100, [a, b]);
      const lastRenewal = Date.parse(server.peek(NS, NAME)!.spec!.renewTime!);
      assert.ok(clock.now() - lastRenewal < 2000);
      a.api.mode = failure;
      await advance(clock, 30_000, [a, b]);

      assert.equal(a.leading, false);
      assert.equal(a.stopped, 1);
      assert.equal(a.finished, true, 'run() returns after leadership is lost');
      assert.equal(a.leaderSignal?.aborted, true, 'the leading context is cancelled');
      // The leader gives up within the renew deadline (10 s) after its first failed renewal (+2 s).
      assert.ok(a.stoppedAt - lastRenewal <= 2000 + 10_000, `a stopped ${a.stoppedAt - lastRenewal} ms after its last renewal`);
      assert.equal(b.leading, true);
      // b takes over only once the lease expired by its own observation, and promptly after.
      const takeover = b.startedAt - lastRenewal;
      assert.ok(takeover >= 15_000, `took over too early: ${takeover} ms`);
      assert.ok(takeover <= 15_000 + 2 * 2000, `took over too late: ${takeover} ms`);
      assert.ok(a.stoppedAt < b.startedAt);
      const lease = server.peek(NS, NAME)!;
      assert.equal(lease.spec?.holderIdentity, 'b');
      assert.equal(lease.spec?.leaseTransitions, 1);
      assert.equal(Date.parse(lease.spec!.acquireTime!), b.startedAt);
      assert.deepEqual(b.newLeaders, ['a', 'b']);

      // The old leader comes back: it sees b and stays a follower.
      a.api.mode = 'ok';
      const again = candidate('a', server, clock);
      start(again);
      await advance(clock, 60_000, [again, b]);
      assert.equal(again.started, 0);
      assert.equal(b.leading, true);
      again.stop.abort();
      b.stop.abort();
      await Promise.all([again.done, b.done]);
    });
  }

  it('releases the lease on cancel so the other candidate takes over at once', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock, { releaseOnCancel: true });
    const b = candidate('b', server, clock, { releaseOnCancel: true });
    start(a);
    await advance(clock, 100, [a, b]);
    start(b);
    await advance(clock, 5000, [a, b]);
    a.stop.abort();
    await a.done;
    assert.equal(a.leading, false);
    assert.equal(a.stopped, 1);
    assert.equal(a.leaderSignal?.aborted, true);
    const released = server.peek(NS, NAME)!;
    assert.equal(released.spec?.holderIdentity, '');
    assert.equal(released.spec?.leaseDurationSeconds, 1);
    const releasedAt = clock.now();
    await advance(clock, 3000, [a, b]);
    assert.equal(b.leading, true);
    assert.ok(b.startedAt - releasedAt <= 2000, `took ${b.startedAt - releasedAt} ms`);
    assert.equal(server.peek(NS, NAME)!.spec?.leaseTransitions, 1);
    b.stop.abort();
    await b.done;
  });

  it('releases only after a renewal in flight at cancel has landed, so the renewal cannot take the lease back', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock, { releaseOnCancel: true });
    start(a);
    await advance(clock, 100, [a]);
    assert.equal(a.leading, true);
    a.api.mode = 'held';
    await advance(clock, 2000, [a]);
    assert.equal(a.api.heldCount(), 1, 'one renewal waits on the server');
    a.stop.abort();
    await tick();
    a.api.letGo();
    await a.done;
    const lease = server.peek(NS, NAME)!;
    assert.equal(lease.spec?.holderIdentity, '', 'the release came after the renewal');
    assert.deepEqual(server.writes.slice(-2).map((w) => w.holder), ['a', ''], 'the held renewal, then the release');
  });

  it('a leader that loses the server still stops (release bounded by the renew deadline)', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock, { releaseOnCancel: true });
    start(a);
    await advance(clock, 100, [a]);
    a.api.mode = 'hanging';
    await advance(clock, 2000 + 10_000 + 10_000 + 200, [a]);
    assert.equal(a.finished, true);
    assert.equal(a.stopped, 1);
    assert.equal(server.peek(NS, NAME)!.spec?.holderIdentity, 'a', 'the release never reached the server');
  });

  it('run() returns on abort even while a request hangs', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    a.api.mode = 'hanging';
    start(a);
    await advance(clock, 100, [a]);
    a.stop.abort();
    await a.done;
    assert.equal(a.started, 0);
    assert.equal(a.stopped, 0);
  });

  it('without releaseOnCancel a stopped leader keeps the lease until it expires', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    const b = candidate('b', server, clock);
    start(a);
    await advance(clock, 100, [a, b]);
    start(b);
    await advance(clock, 1000, [a, b]);
    a.stop.abort();
    await a.done;
    const stoppedAt = clock.now();
    assert.equal(server.peek(NS, NAME)!.spec?.holderIdentity, 'a');
    await advance(clock, 20_000, [a, b]);
    assert.equal(b.leading, true);
    assert.ok(b.startedAt - stoppedAt >= 13_000, `b took over ${b.startedAt - stoppedAt} ms after a stopped`);
    b.stop.abort();
    await b.done;
  });

  it('two candidates starting together: one creates the lease, the other follows', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const cs = ['a', 'b', 'c'].map((id) => candidate(id, server, clock));
    cs.forEach(start);
    await advance(clock, 60_000, cs);
    assert.equal(cs.filter((c) => c.leading).length, 1);
    assert.equal(cs.reduce((n, c) => n + c.started, 0), 1);
    assert.equal(server.writes.filter((w) => w.verb === 'create').length, 1);
    assert.equal(server.peek(NS, NAME)!.spec?.leaseTransitions, 0);
    cs.forEach((c) => c.stop.abort());
    await Promise.all(cs.map((c) => c.done));
  });

  it('judges expiry by when it saw the record change, not by the timestamps in it', async () => {
    for (const skewMs of [-3_600_000, 3_600_000]) {
      const clock = new FakeClock();
      const server = new InMemoryLeaseApi();
      const stamp = new Date(clock.now() + skewMs).toISOString().replace('Z', '000Z');
      await server.create({
        metadata: { namespace: NS, name: NAME },
        spec: { holderIdentity: 'ghost', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 4 },
      } satisfies Lease);
      const b = candidate('b', server, clock);
      start(b);
      await advance(clock, 14_000, [b]);
      assert.equal(b.started, 0, `skew ${skewMs}: acquired a lease it had not seen unchanged for 15 s`);
      assert.deepEqual(b.newLeaders, ['ghost']);
      await advance(clock, 4000, [b]);
      assert.equal(b.leading, true, `skew ${skewMs}`);
      assert.equal(server.peek(NS, NAME)!.spec?.leaseTransitions, 5);
      b.stop.abort();
      await b.done;
    }
  });

  it('a leader whose renewals are refused by a conflicting writer steps down', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    start(a);
    await advance(clock, 100, [a]);
    // Someone else (mis)writes the lease: a's next fast-path renewal conflicts, the slow path sees
    // the intruder holding a lease it has not yet seen expire.
    const lease = server.peek(NS, NAME)!;
    await server.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: lease.spec!.renewTime } });
    await advance(clock, 15_000, [a]);
    assert.equal(a.leading, false);
    assert.equal(a.stopped, 1);
    assert.deepEqual(a.newLeaders, ['a', 'intruder']);
  });

  it('health check fails when the leader has not renewed for longer than the lease', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const a = candidate('a', server, clock);
    start(a);
    await advance(clock, 100, [a]);
    assert.equal(a.elector.check(5000), undefined);
    a.api.mode = 'hanging';
    // Stop the loop without releasing: the elector still believes it holds the lease.
    await advance(clock, 2000 + 10_000 + 100, [a]);
    assert.equal(a.finished, true);
    assert.equal(a.elector.check(20_000), undefined);
    await clock.step(10_000);
    assert.match(a.elector.check(5000)?.message ?? '', /failed election to renew leadership/);
  });

  it('validates its timing and identity', () => {
    const lock = (identity: string) => new LeaseLock({ namespace: NS, name: NAME, identity, client: new InMemoryLeaseApi() });
    const callbacks = { onStartedLeading: () => {} };
    assert.throws(() => new LeaderElector({ lock: lock('a'), callbacks, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater than renewDeadline/);
    assert.throws(() => new LeaderElector({ lock: lock('a'), callbacks, renewDeadlineMs: 2000, retryPeriodMs: 2000 }), /renewDeadline must be greater than retryPeriod\*JitterFactor/);
    assert.throws(() => new LeaderElector({ lock: lock(''), callbacks }), /identity is empty/);
    const e = new LeaderElector({ lock: lock('a'), callbacks });
    assert.equal(e.name, `${NS}/${NAME}`);
  });

  it('records "became leader" events through an event recorder', async () => {
    const clock = new FakeClock();
    const server = new InMemoryLeaseApi();
    const events: string[] = [];
    const elector = new LeaderElector({
      lock: new LeaseLock({
        namespace: NS,
        name: NAME,
        identity: 'a',
        client: server,
        eventRecorder: { event: (obj, type, reason, message) => void events.push(`${'kind' in obj ? obj.kind : ''} ${type} ${reason} ${message}`) },
      }),
      clock,
      callbacks: { onStartedLeading: () => {} },
    });
    const stop = new AbortController();
    const done = elector.run(stop.signal);
    await tick();
    await clock.step(10);
    assert.deepEqual(events, ['Lease Normal LeaderElection a became leader']);
    stop.abort();
    await done;
  });
});
