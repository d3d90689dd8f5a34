import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

describe('ControllerExpectations', () => {
  it('is satisfied with no record, unsatisfied until every creation is observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
  });

  it('counts each deleted pod once, however often its deletion is observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/other');
    assert.deepEqual(e.get('ns/rs'), { add: 0, del: 1 });
    assert.equal(e.satisfied('ns/rs'), false);
    e.deletionObserved('ns/rs', 'ns/b');
    assert.equal(e.satisfied('ns/rs'), true);
  });

  it('expires after the 5-minute TTL', async () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('ns/rs', 3);
    await clock.step(EXPECTATIONS_TIMEOUT_MS);
    assert.equal(e.satisfied('ns/rs'), false);
    await clock.step(1);
    assert.equal(e.satisfied('ns/rs'), true);
  });

  it('forgets a deleted owner', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectCreations('ns/rs', 1);
    e.delete('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
    assert.equal(e.get('ns/rs'), undefined);
  });
});
