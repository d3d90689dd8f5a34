import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { hostSignalObserver, parseLoadavgTasks, parseMeminfo } from './host-signals.js';

test('MemAvailable and MemTotal from /proc/meminfo; tasks from /proc/loadavg', () => {
  assert.deepEqual(parseMeminfo('MemTotal:       16318480 kB\nMemFree:  100 kB\nMemAvailable:   8000000 kB\n'), { total: 16318480 * 1024, available: 8000000 * 1024 });
  assert.equal(parseMeminfo('MemTotal: 1 kB\n'), undefined);
  assert.equal(parseLoadavgTasks('0.52 0.58 0.59 3/1234 56789\n'), 1234);
});

test('the host observer reports memory, the data directory filesystem and pids', () => {
  const o = hostSignalObserver(tmpdir())();
  for (const s of ['memory.available', 'nodefs.available', 'imagefs.available', 'pid.available'] as const) {
    const v = o[s];
    assert.ok(v && v.capacity > 0 && v.available >= 0 && v.available <= v.capacity, `${s}: ${JSON.stringify(v)}`);
  }
});
