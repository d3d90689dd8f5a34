// The controller manager against a real `kite server`: run in-process by the server, every new
// namespace gets its "default" ServiceAccount; run alone as `kite controller-manager` under leader
// election, it does the same and serves /healthz and work-queue metrics; --controllers selects.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { resources, RestClient } from '../src/client/rest/index.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { selectControllers } from '../src/controllers/index.js';
import { startKite } from './support/kite-process.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { waitUntil } from './support/wait-until.js';

async function hasDefaultAccount(rest: RestClient, ns: string): Promise<boolean> {
  try {
    await rest.resource<ServiceAccount>(resources.SERVICEACCOUNTS).namespace(ns).get('default');
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

describe('controller manager', () => {
  it('--controllers: "*" is every default controller, NAME adds one, -NAME removes one, unknown names fail', () => {
    const all = [{ name: 'a', create: () => { throw new Error(); } }, { name: 'b', create: () => { throw new Error(); } }, { name: 'c', disabledByDefault: true, create: () => { throw new Error(); } }];
    assert.deepEqual(selectControllers(all).map((d) => d.name), ['a', 'b']);
    assert.deepEqual(selectControllers(all, ['*', '-a', 'c']).map((d) => d.name), ['b', 'c']);
    assert.deepEqual(selectControllers(all, ['b']).map((d) => d.name), ['b']);
    assert.throws(() => selectControllers(all, ['*', 'nope']), /unknown controller "nope"/);
  });

  describe('inside kite server', () => {
    let server: KiteServer;
    let rest: RestClient;
    const dir = mkdtempSync(join(tmpdir(), 'kite-kcm-'));
    before(async () => {
      server = await startKiteServer(dir, { controllers: true });
      rest = RestClient.fromKubeconfig(server.kubeconfig);
    });
    after(async () => {
      rest?.close();
      if (server) await stopKiteServer(server);
      rmSync(dir, { recursive: true, force: true });
    });

    it('gives every namespace a default ServiceAccount, and recreates it when deleted', async () => {
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        await waitUntil(`default account in ${ns}`, () => hasDefaultAccount(rest, ns), { timeoutMs: 15_000 });
      }
      await rest.resource<Namespace>(resources.NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
      await waitUntil('default account in team-a', () => hasDefaultAccount(rest, 'team-a'), { timeoutMs: 15_000 });
      await rest.resource<ServiceAccount>(resources.SERVICEACCOUNTS).namespace('team-a').delete('default');
      await waitUntil('default account recreated', () => hasDefaultAccount(rest, 'team-a'), { timeoutMs: 15_000 });
      const lease = await rest.resource<Lease>(resources.LEASES).namespace('kube-system').get('kube-controller-manager');
      assert.ok(lease.spec?.holderIdentity, 'the in-server controller manager holds its lease');
    });
  });

  describe('as kite controller-manager', () => {
    let server: KiteServer;
    let rest: RestClient;
    const dir = mkdtempSync(join(tmpdir(), 'kite-kcm-alone-'));
    before(async () => {
      server = await startKiteServer(dir);
      rest = RestClient.fromKubeconfig(server.kubeconfig);
    });
    after(async () => {
      rest?.close();
      if (server) await stopKiteServer(server);
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs the selected controllers against the server and serves /healthz and /metrics', async () => {
      assert.equal(await hasDefaultAccount(rest, 'kube-public'), false, 'the server alone runs no controllers');
      const kcm = startKite(['controller-manager', '--kubeconfig', server.kubeconfig, '--metrics-port', '0', '--controllers', 'serviceaccount']);
      try {
        const line = await kcm.waitFor(/\bready\b/, 30_000);
        const metricsUrl = /metrics="?(http:\/\/[^"\s]+)/.exec(line)?.[1];
        assert.ok(metricsUrl, `metrics URL in: ${line}`);
        await waitUntil('default account in kube-public', () => hasDefaultAccount(rest, 'kube-public'), { timeoutMs: 20_000 });
        const health = await fetch(metricsUrl.replace('/metrics', '/healthz'));
        assert.equal(await health.text(), 'ok');
        const metrics = await (await fetch(metricsUrl)).text();
        assert.match(metrics, /workqueue_adds_total\{name="serviceaccount"\} [1-9]/);
        assert.match(metrics, /workqueue_depth\{name="serviceaccount"\} 0/);
        const lease = await rest.resource<Lease>(resources.LEASES).namespace('kube-system').get('kube-controller-manager');
        assert.ok(lease.spec?.holderIdentity);
      } finally {
        kcm.kill('SIGTERM');
        assert.equal(await kcm.exited, 0);
      }
      const released = await rest.resource<Lease>(resources.LEASES).namespace('kube-system').get('kube-controller-manager');
      assert.equal(released.spec?.holderIdentity ?? '', '', 'the lease is released on shutdown');
    });
  });
});
