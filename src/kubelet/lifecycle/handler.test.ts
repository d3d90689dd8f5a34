import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { HostExecRuntime, target } from '../prober/test-support.js';
import { runLifecycleHandler } from './handler.js';

describe('runLifecycleHandler', () => {
  let server: Server;
  let port: number;
  const paths: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      paths.push(`${req.url} ${req.headers['user-agent']}`);
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end();
    });
    port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
  });
  after(() => server.close());
  const clock = new FakeClock();

  it('runs exec hooks, failing with the kubelet\'s message on a non-zero exit', async () => {
    const t = target({ name: 'app', env: [{ name: 'X', value: 'x' }] }, '127.0.0.1', new HostExecRuntime());
    assert.deepEqual(await runLifecycleHandler({ exec: { command: ['sh', '-c', 'test $(X) = x'] } }, t, { hook: 'postStart', clock }), { ok: true });
    const out = await runLifecycleHandler({ exec: { command: ['sh', '-c', 'echo oops >&2; exit 2'] } }, t, { hook: 'postStart', clock });
    assert.deepEqual(out, {
      ok: false,
      reason: 'FailedPostStartHook',
      message:
        'Exec lifecycle hook ([sh -c echo oops >&2; exit 2]) for Container "app" in Pod "web_ns(uid-1)" failed - error: command \'sh -c echo oops >&2; exit 2\' exited with 2: oops\n, message: "oops\\n"',
    });
  });

  it('runs httpGet hooks, ignoring the status code, failing when the request cannot be made', async () => {
    const t = target();
    assert.deepEqual(await runLifecycleHandler({ httpGet: { path: '/broken', port } }, t, { hook: 'preStop', clock }), { ok: true });
    assert.deepEqual(paths, ['/broken kube-lifecycle/1.32']);
    const out = await runLifecycleHandler({ httpGet: { path: '/x', port: 'missing' } }, t, { hook: 'preStop', clock });
    assert.deepEqual(out, { ok: false, reason: 'FailedPreStopHook', message: 'HTTP lifecycle hook (/x) for Container "app" in Pod "web_ns(uid-1)" failed - error: port missing not found' });
  });

  it('sleeps on the injected clock and fails when cancelled', async () => {
    const t = target();
    let done = false;
    const p = runLifecycleHandler({ sleep: { seconds: 5 } }, t, { hook: 'preStop', clock }).then((r) => ((done = true), r));
    await clock.step(4_999);
    assert.equal(done, false);
    await clock.step(1);
    assert.deepEqual(await p, { ok: true });
    const abort = new AbortController();
    const q = runLifecycleHandler({ sleep: { seconds: 5 } }, t, { hook: 'preStop', clock, signal: abort.signal });
    abort.abort();
    assert.deepEqual(await q, {
      ok: false,
      reason: 'FailedPreStopHook',
      message: 'Sleep lifecycle hook (5) for Container "app" in Pod "web_ns(uid-1)" failed - error: container terminated before sleep hook finished',
    });
  });
});
