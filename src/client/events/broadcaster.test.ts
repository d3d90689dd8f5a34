import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newInvalid } from '../../api/status-errors.js';
import { FakeClock } from '../../util/clock.js';
import { createLogger } from '../../util/log.js';
import { EventBroadcaster } from './broadcaster.js';
import { InMemoryEventSink } from './test-support.js';
import type { Event } from './types.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'team-a', name: 'web-0', uid: 'uid-1', resourceVersion: '7' } };
const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'uid-n1' } };
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { random?: () => number } = {}) {
  const clock = new FakeClock();
  const broadcaster = new EventBroadcaster({ clock, random: options.random ?? (() => 0.5) });
  const sink = new InMemoryEventSink();
  const watcher = broadcaster.startRecordingToSink(sink);
  const recorder = broadcaster.newRecorder({ component: 'kite-scheduler', host: 'node-1' });
  return { clock, broadcaster, sink, watcher, recorder };
}

describe('EventRecorder', () => {
  it('builds a core/v1 Event about the object', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    recorder.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available');
    await broadcaster.flush();
    const [e] = sink.list();
    assert.ok(e);
    const nanos = (BigInt(clock.now()) * 1_000_000n).toString(16);
    assert.equal(e.metadata?.name, `web-0.${nanos}`);
    assert.equal(e.metadata?.namespace, 'team-a');
    assert.deepEqual(e.involvedObject, { kind: 'Pod', namespace: 'team-a', name: 'web-0', uid: 'uid-1', apiVersion: 'v1', resourceVersion: '7' });
    assert.equal(e.type, 'Warning');
    assert.equal(e.reason, 'FailedScheduling');
    assert.equal(e.message, '0/3 nodes are available');
    assert.equal(e.count, 1);
    assert.equal(e.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(e.lastTimestamp, '2026-01-01T00:00:00Z');
    assert.deepEqual(e.source, { component: 'kite-scheduler', host: 'node-1' });
    assert.equal(e.reportingComponent, 'kite-scheduler');
    assert.equal(e.reportingInstance, 'node-1');
  });

  it('puts events about cluster-scoped objects in "default", takes references, drops bad types', async () => {
    const { broadcaster, sink, recorder } = setup();
    recorder.event(node, 'Normal', 'NodeReady', 'ready');
    recorder.event({ kind: 'Pod', namespace: 'ns', name: 'p', fieldPath: 'spec.containers{c}' }, 'Normal', 'Pulled', 'pulled');
    recorder.annotatedEvent(pod, { note: 'x' }, 'Normal', 'Annotated', 'with annotations');
    recorder.event(pod, 'Info', 'Nope', 'not a valid type');
    recorder.event({ metadata: { name: 'kindless' } }, 'Normal', 'Nope', 'no kind');
    await broadcaster.flush();
    const events = sink.list();
    assert.deepEqual(events.map((e) => `${e.metadata?.namespace}/${e.reason}`), ['default/NodeReady', 'ns/Pulled', 'team-a/Annotated']);
    assert.equal(events[1]!.involvedObject.fieldPath, 'spec.containers{c}');
    assert.deepEqual(events[2]!.metadata?.annotations, { note: 'x' });
  });

  it('gives events recorded in the same millisecond distinct names', async () => {
    const { broadcaster, sink, recorder } = setup();
    for (let i = 0; i < 5; i++) recorder.event(pod, 'Normal', `R${i}`, 'm');
    await broadcaster.flush();
    assert.equal(new Set(sink.list().map((e) => e.metadata?.name)).size, 5);
  });

  it('counts a repeated event on the first one, by patch', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    await clock.step(5000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    await clock.step(5000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    const events = sink.list();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.count, 3);
    assert.equal(events[0]!.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(events[0]!.lastTimestamp, '2026-01-01T00:00:10Z');
    assert.deepEqual(
      sink.calls.map((c) => c.verb),
      ['create', 'patch', 'patch'],
    );
    assert.deepEqual(sink.calls[2]!.patch, { count: 3, lastTimestamp: '2026-01-01T00:00:10Z', message: 'Back-off restarting failed container' });
  });

  it('creates the event again if the repeated one is gone', async () => {
    const { broadcaster, sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.flush();
    sink.events.clear();
    recorder.event(pod, 'Normal', 'Pulled', 'pulled');
    await broadcaster.flush();
    assert.deepEqual(sink.calls.map((c) => c.verb), ['create', 'patch', 'create']);
    const [e] = sink.list();
    assert.equal(e!.count, 2);
    assert.equal(e!.metadata?.resourceVersion, '2');
  });

  it('aggregates similar events after 10 in 10 minutes into a combined event', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    for (let i = 1; i <= 9; i++) {
      recorder.event(pod, 'Warning', 'FailedMount', `volume v${i} not found`);
      await clock.step(1000);
    }
    await broadcaster.flush();
    assert.equal(sink.list().length, 9);
    recorder.event(pod, 'Warning', 'FailedMount', 'volume v10 not found');
    await broadcaster.flush();
    const combined = sink.list().filter((e) => e.message?.startsWith('(combined'));
    assert.equal(combined.length, 1);
    assert.equal(combined[0]!.message, '(combined from similar events): volume v10 not found');
    assert.equal(combined[0]!.count, 1);
    assert.equal(combined[0]!.reason, 'FailedMount');
    assert.match(combined[0]!.metadata?.name ?? '', /^web-0\.[0-9a-f]+$/);
    // More similar events only bump the combined one.
    await clock.step(1000);
    recorder.event(pod, 'Warning', 'FailedMount', 'volume v11 not found');
    recorder.event(pod, 'Warning', 'FailedMount', 'volume v12 not found');
    await broadcaster.flush();
    const after = sink.list();
    assert.equal(after.length, 10);
    const c = after.find((e) => e.message?.startsWith('(combined'))!;
    assert.equal(c.count, 3);
    assert.equal(c.message, '(combined from similar events): volume v12 not found');
    // A different reason is not aggregated with them.
    recorder.event(pod, 'Warning', 'FailedAttach', 'volume v1 not attached');
    await broadcaster.flush();
    assert.equal(sink.list().length, 11);
    // After 10 quiet minutes the window starts afresh.
    await clock.step(601_000);
    recorder.event(pod, 'Warning', 'FailedMount', 'volume v13 not found');
    await broadcaster.flush();
    assert.ok(sink.list().some((e) => e.message === 'volume v13 not found'));
  });

  it('drops events beyond the spam filter bucket (25 per source and object, then 1 per 5 minutes)', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    for (let i = 0; i < 30; i++) recorder.event(pod, 'Normal', `Reason${i}`, 'message');
    recorder.event(node, 'Normal', 'Other', 'another object has its own bucket');
    await broadcaster.flush();
    const forPod = sink.list().filter((e) => e.involvedObject.name === 'web-0');
    assert.equal(forPod.length, 25);
    assert.equal(sink.list().length, 26);
    await clock.step(300_000);
    recorder.event(pod, 'Normal', 'Reason99', 'message');
    recorder.event(pod, 'Normal', 'Reason100', 'message');
    await broadcaster.flush();
    assert.equal(sink.list().filter((e) => e.involvedObject.name === 'web-0').length, 26);
  });

  it('retries transport failures (first wait randomized, then 10 s) but not server refusals', async () => {
    const { clock, broadcaster, sink, recorder } = setup({ random: () => 0.25 });
    sink.failures.push(new Error('ECONNRESET'), new Error('ECONNRESET'));
    recorder.event(pod, 'Normal', 'Started', 'started');
    await tick();
    assert.equal(sink.calls.length, 1);
    await clock.step(2499);
    assert.equal(sink.calls.length, 1);
    await clock.step(1);
    assert.equal(sink.calls.length, 2, 'first retry after 0.25 × 10 s');
    await clock.step(9999);
    assert.equal(sink.calls.length, 2);
    await clock.step(1);
    await broadcaster.flush();
    assert.equal(sink.calls.length, 3);
    assert.equal(sink.list().length, 1);

    sink.failures.push(newInvalid({ group: '', kind: 'Event' }, 'x', []));
    recorder.event(pod, 'Normal', 'Refused', 'refused');
    await broadcaster.flush();
    await clock.step(60_000);
    assert.equal(sink.calls.filter((c) => c.name.startsWith('web-0') && c.verb === 'create').length, 4, 'no retry');
  });

  it('gives up after 12 tries', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    for (let i = 0; i < 20; i++) sink.failures.push(new Error('connection refused'));
    recorder.event(pod, 'Normal', 'Started', 'started');
    await tick();
    await clock.step(200_000);
    await broadcaster.flush();
    assert.equal(sink.calls.length, 12);
    assert.equal(sink.list().length, 0);
  });

  it('never blocks the caller: a stalled sink buffers up to 1000 events and drops the rest', async () => {
    const { broadcaster, sink, watcher, recorder } = setup();
    let release!: () => void;
    sink.gate = new Promise((resolve) => (release = resolve));
    const started = Date.now();
    // Distinct objects, so neither aggregation nor the spam filter interferes.
    for (let i = 0; i < 1500; i++) recorder.event({ kind: 'Pod', namespace: 'ns', name: `p${i}` }, 'Normal', 'R', 'm');
    assert.ok(Date.now() - started < 1000);
    await tick();
    assert.equal(watcher.dropped(), 499, 'one in flight, 1000 buffered');
    sink.gate = undefined;
    release();
    await broadcaster.flush();
    assert.equal(sink.list().length, 1001);
  });

  it('works with a sink that only updates', async () => {
    const clock = new FakeClock();
    const broadcaster = new EventBroadcaster({ clock });
    const inner = new InMemoryEventSink();
    broadcaster.startRecordingToSink({ create: (e) => inner.create(e), update: (e) => inner.update(e) });
    const recorder = broadcaster.newRecorder({ component: 'c' });
    recorder.event(pod, 'Normal', 'R', 'm');
    recorder.event(pod, 'Normal', 'R', 'm');
    await broadcaster.flush();
    assert.deepEqual(inner.calls.map((c) => c.verb), ['create', 'update']);
    assert.equal(inner.list()[0]!.count, 2);
    assert.deepEqual(inner.list()[0]!.source, { component: 'c' });
    assert.throws(() => broadcaster.startRecordingToSink({ create: (e) => inner.create(e) }), /needs patch or update/);
  });

  it('delivers to every watcher; a logger watcher logs each event', async () => {
    const clock = new FakeClock();
    const broadcaster = new EventBroadcaster({ clock });
    const lines: string[] = [];
    broadcaster.startLogging(createLogger('events', { write: (l) => lines.push(l), now: () => clock.now() }));
    const seen: Event[] = [];
    const w = broadcaster.startEventWatcher((e) => void seen.push(e));
    const recorder = broadcaster.newRecorder({ component: 'c' });
    recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned team-a/web-0 to n1');
    await broadcaster.flush();
    assert.equal(seen.length, 1);
    assert.match(lines[0]!, /Event occurred object="team-a\/web-0".*reason="Scheduled"/);
    w.stop();
    recorder.event(pod, 'Normal', 'Again', 'again');
    await broadcaster.flush();
    assert.equal(seen.length, 1);
    assert.equal(lines.length, 2);
  });

  it('shutdown stops accepting events and cuts retries short', async () => {
    const { clock, broadcaster, sink, recorder } = setup();
    sink.failures.push(new Error('down'), new Error('down'), new Error('down'));
    recorder.event(pod, 'Normal', 'R', 'm');
    await tick();
    await clock.step(1);
    await broadcaster.shutdown();
    assert.equal(sink.calls.length, 1);
    recorder.event(pod, 'Normal', 'Late', 'late');
    await tick();
    assert.equal(sink.calls.length, 1);
    assert.equal(clock.pending(), 0);
  });
});
