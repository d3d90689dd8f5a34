import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { EventCorrelator, EventNamer, getEventKey, getSpamKey } from './correlator.js';
import { getReference } from './recorder.js';
import type { Event } from './types.js';

function ev(message: string, reason = 'R', name = 'p'): Event {
  return {
    metadata: { name: `${name}.1`, namespace: 'ns' },
    involvedObject: { kind: 'Pod', namespace: 'ns', name, uid: 'u' },
    type: 'Normal',
    reason,
    message,
    source: { component: 'c' },
    count: 1,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
  };
}

describe('EventCorrelator', () => {
  it('names events <name>.<hex nanoseconds>, unique and increasing', () => {
    const namer = new EventNamer();
    const ms = Date.UTC(2026, 0, 1);
    const a = namer.name('web', ms);
    const b = namer.name('web', ms);
    assert.equal(a, `web.${(BigInt(ms) * 1_000_000n).toString(16)}`);
    assert.equal(b, `web.${(BigInt(ms) * 1_000_000n + 1n).toString(16)}`);
    assert.equal(namer.name('web', ms - 5), `web.${(BigInt(ms) * 1_000_000n + 2n).toString(16)}`, 'never goes back');
  });

  it('keys: the event key includes the message, the spam key only source and object', () => {
    assert.notEqual(getEventKey(ev('a')), getEventKey(ev('b')));
    assert.equal(getSpamKey(ev('a', 'R1')), getSpamKey(ev('b', 'R2')));
    assert.notEqual(getSpamKey(ev('a', 'R', 'p1')), getSpamKey(ev('a', 'R', 'p2')));
  });

  it('turns a repeat into a patch of the first event and remembers the server state', () => {
    const clock = new FakeClock();
    const c = new EventCorrelator({ clock });
    const first = c.correlate(ev('m'));
    assert.equal(first.patch, undefined);
    assert.equal(first.skip, false);
    c.updateState({ ...first.event, metadata: { ...first.event.metadata, resourceVersion: '42' } });
    const second = c.correlate({ ...ev('m'), metadata: { name: 'p.2', namespace: 'ns' }, lastTimestamp: '2026-01-01T00:01:00Z' });
    assert.equal(second.event.metadata?.name, 'p.1');
    assert.equal(second.event.metadata?.resourceVersion, '42');
    assert.equal(second.event.count, 2);
    assert.equal(second.event.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.deepEqual(second.patch, { count: 2, lastTimestamp: '2026-01-01T00:01:00Z', message: 'm' });
  });

  it('honours custom aggregation and spam limits', async () => {
    const clock = new FakeClock();
    const c = new EventCorrelator({ clock, maxEvents: 2, maxIntervalInSeconds: 60, burstSize: 3, qps: 1 });
    assert.equal(c.correlate(ev('a')).event.message, 'a');
    assert.equal(c.correlate(ev('b')).event.message, '(combined from similar events): b');
    assert.equal(c.correlate(ev('c')).skip, false);
    assert.equal(c.correlate(ev('d')).skip, true, 'bucket of 3 spent');
    await clock.step(1000);
    const e = c.correlate(ev('e'));
    assert.equal(e.skip, false);
    assert.equal(e.event.count, 4, 'the combined event counts every similar event, spam-filtered ones too');
    await clock.step(61_000);
    assert.equal(c.correlate(ev('f')).event.message, 'f', 'the aggregation window expired');
  });

  it('references typed objects', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '3' } };
    assert.deepEqual(getReference(pod), { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '3' });
    assert.deepEqual(getReference({ kind: 'Node', name: 'n' }), { kind: 'Node', name: 'n' });
  });
});
