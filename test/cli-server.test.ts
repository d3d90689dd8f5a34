// `kite server` end to end: flags, the data dir, opening each store, and a clean exit on signals.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openBackend } from '../src/storage/open.js';
import { startEtcd } from './support/etcd-process.js';
import { startKite } from './support/kite-process.js';
import { kubectlOk } from './support/kubectl.js';

describe('kite server', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-cli-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('opens the embedded SQLite store in its data dir and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const server = startKite(['server', '--disable-agent', '--data-dir', dir, '--port', '0']);
    await server.waitFor(/ready/);
    assert.match(server.stderr(), /store="sqlite"/);
    assert.ok(existsSync(join(dir, 'db', 'state.db')));
    server.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /stopped/);
    // The store is closed and reusable: a second open of the same file works.
    const backend = await openBackend({ kind: 'sqlite', path: join(dir, 'db', 'state.db') });
    await backend.close();
  });

  it('exits 0 on SIGINT too', async () => {
    const server = startKite(['server', '--disable-agent', '--data-dir', tempDir()]);
    await server.waitFor(/ready/);
    server.kill('SIGINT');
    assert.equal(await server.exited, 0);
  });

  it('refuses a second server on the same data dir, naming the cause', async () => {
    const dir = tempDir();
    const first = startKite(['server', '--disable-agent', '--data-dir', dir]);
    await first.waitFor(/ready/);
    const second = startKite(['server', '--disable-agent', '--data-dir', dir]);
    assert.notEqual(await second.exited, 0);
    assert.match(second.stderr(), /state\.db/);
    first.kill();
    assert.equal(await first.exited, 0);
  });

  it('runs on a real etcd with --store etcd', async () => {
    const etcd = await startEtcd();
    try {
      const server = startKite(['server', '--disable-agent', '--data-dir', tempDir(), '--store', 'etcd', '--etcd-servers', etcd.endpoint]);
      await server.waitFor(/ready/);
      assert.match(server.stderr(), /store="etcd"/);
      server.kill();
      assert.equal(await server.exited, 0);
    } finally {
      await etcd.stop();
    }
  });

  it('runs the scheduler by default: a pod lands on a ready node', async () => {
    const dir = tempDir();
    const server = startKite(['server', '--disable-agent', '--data-dir', dir, '--port', '0']);
    try {
      await server.waitFor(/ready/, 60_000);
      const kubeconfig = join(dir, 'admin.kubeconfig');
      await kubectlOk(kubeconfig, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n' });
      const status = {
        status: {
          capacity: { cpu: '4', memory: '8Gi', pods: '110' },
          allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
        },
      };
      await kubectlOk(kubeconfig, ['patch', 'node', 'n1', '--subresource=status', '--type', 'merge', '-p', JSON.stringify(status)]);
      // The serviceaccount controller makes `default` asynchronously; pods are refused until it
      // exists (as in Kubernetes, whose e2e framework waits for it the same way).
      await kubectlOk(kubeconfig, ['wait', '--for=create', 'serviceaccount/default', '--timeout=60s']);
      await kubectlOk(kubeconfig, ['apply', '-f', '-'], {
        input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    resources: {requests: {cpu: 100m}}\n',
      });
      const deadline = Date.now() + 20_000;
      let node = '';
      while (node !== 'n1' && Date.now() < deadline) {
        node = await kubectlOk(kubeconfig, ['get', 'pod', 'p', '-o', 'jsonpath={.spec.nodeName}']);
      }
      assert.equal(node, 'n1', 'the embedded scheduler bound the pod');
    } finally {
      server.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  });

  it('runs `kite scheduler` alone against a server, with /healthz and /metrics', async () => {
    const dir = tempDir();
    const server = startKite(['server', '--disable-agent', '--data-dir', dir, '--port', '0', '--disable-scheduler', '--disable-controller-manager']);
    try {
      await server.waitFor(/ready/, 60_000);
      const scheduler = startKite(['scheduler', '--kubeconfig', join(dir, 'admin.kubeconfig'), '--metrics-port', '0']);
      try {
        const ready = await scheduler.waitFor(/ready/, 30_000);
        const metricsUrl = /metrics="([^"]+)"/.exec(ready)?.[1];
        assert.ok(metricsUrl, ready);
        assert.equal(await (await fetch(metricsUrl.replace('/metrics', '/healthz'))).text(), 'ok');
        assert.match(await (await fetch(metricsUrl)).text(), /scheduler_pending_pods/);
      } finally {
        scheduler.kill('SIGTERM');
        assert.equal(await scheduler.exited, 0);
      }
    } finally {
      server.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  });

  it('rejects bad flags with a message and a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['server', '--store', 'mysql'], /Allowed choices are sqlite, etcd/],
      [['server', '--store', 'etcd', '--data-dir', tempDir()], /--store etcd needs --etcd-servers/],
      [['server', '--port', 'http'], /port is an integer/],
      [['server', '--compaction-interval', 'soon'], /invalid duration/],
      [['server', '--image-gc-low-threshold', '90'], /imageGCLowThresholdPercent \(--image-gc-low-threshold\) 90 must be less than imageGCHighThresholdPercent \(--image-gc-high-threshold\) 85/],
      [['agent', '--server', 'https://127.0.0.1:1', '--image-gc-high-threshold', '101'], /imageGCHighThresholdPercent \(--image-gc-high-threshold\) 101 must be between 0 and 100, inclusive/],
    ];
    for (const [args, message] of cases) {
      const p = startKite(args);
      assert.notEqual(await p.exited, 0, args.join(' '));
      assert.match(p.stderr(), message);
    }
  });
});
