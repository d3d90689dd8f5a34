// The garbage collector, the namespace controller and the root CA publisher against a real
// `kite server` with the real kubectl: cascading deletion in the three modes (kubectl delete
// --cascade=background|foreground|orphan) of an owner with owned ConfigMaps, pods and custom
// objects; a dependent whose owner never existed; a namespace holding custom objects deleted
// completely (and held by a finalizer, with the conditions Kubernetes reports); kube-root-ca.crt in
// a new namespace.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../src/api/object.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { resources, RestClient, type ResourceDescriptor } from '../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;
const WIDGETS: ResourceDescriptor = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, kind: 'Widget' };
const HOLD = 'example.com/hold';

describe('garbage collection and namespace deletion', () => {
  let server: KiteServer;
  let rest: RestClient;
  const dir = mkdtempSync(join(tmpdir(), 'kite-gc-'));
  const cms = () => rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('default');
  const pods = () => rest.resource<Pod>(resources.PODS).namespace('default');
  const widgets = (ns = 'default') => rest.resource<KubeObject>(WIDGETS).namespace(ns);
  const exists = async (get: () => Promise<unknown>) =>
    get().then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );

  before(async () => {
    server = await startKiteServer(dir, { controllers: true });
    rest = RestClient.fromKubeconfig(server.kubeconfig, { overrides: { qps: 100, burst: 200 } });
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: CRD });
    await kubectlOk(server.kubeconfig, ['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
    await waitUntil('widgets served', () => exists(() => widgets().list()), { timeoutMs: 15_000 });
  });
  after(async () => {
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  /** An owner ConfigMap with two ConfigMaps, a pod and a Widget depending on it. */
  async function family(prefix: string, opts: { block?: boolean; holdWidget?: boolean } = {}) {
    const owner = await cms().create({ metadata: { name: `${prefix}-owner` }, data: {} });
    const ref: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', ...(opts.block ? { blockOwnerDeletion: true } : {}) };
    const meta = (name: string) => ({ name, ownerReferences: [ref] });
    await cms().create({ metadata: meta(`${prefix}-a`) });
    await cms().create({ metadata: meta(`${prefix}-b`) });
    await pods().create({ metadata: meta(`${prefix}-pod`), spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await widgets().create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { ...meta(`${prefix}-w`), ...(opts.holdWidget ? { finalizers: [HOLD] } : {}) } });
    return owner;
  }
  const dependentsOf = (prefix: string) => [
    () => cms().get(`${prefix}-a`),
    () => cms().get(`${prefix}-b`),
    () => pods().get(`${prefix}-pod`),
    () => widgets().get(`${prefix}-w`),
  ];
  const noneLeft = async (prefix: string) => (await Promise.all(dependentsOf(prefix).map(exists))).every((e) => !e);

  it('background: the owner goes at once, the collector deletes its ConfigMaps, pod and custom object', async () => {
    await family('bg');
    await kubectlOk(server.kubeconfig, ['delete', 'configmap', 'bg-owner', '--cascade=background']);
    assert.equal(await exists(() => cms().get('bg-owner')), false);
    await waitUntil('dependents of bg-owner deleted', () => noneLeft('bg'), { timeoutMs: 20_000 });
  });

  it('foreground: the owner waits, with foregroundDeletion, until no blocking dependent is left', async () => {
    await family('fg', { block: true, holdWidget: true });
    // A grandchild, blocking its own owner: deleted first, recursively.
    const a = await cms().get('fg-a');
    await cms().create({ metadata: { name: 'fg-grandchild', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-a', uid: a.metadata?.uid ?? '', blockOwnerDeletion: true }] } });
    await kubectlOk(server.kubeconfig, ['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false']);
    const owner = await cms().get('fg-owner');
    assert.ok(owner.metadata?.deletionTimestamp);
    assert.ok(owner.metadata?.finalizers?.includes('foregroundDeletion'));
    await waitUntil('all but the held widget deleted', async () => !(await exists(() => cms().get('fg-a'))) && !(await exists(() => cms().get('fg-grandchild'))) && !(await exists(() => pods().get('fg-pod'))), { timeoutMs: 20_000 });
    const w = await widgets().get('fg-w');
    assert.ok(w.metadata?.deletionTimestamp, 'the widget is being deleted');
    assert.equal(await exists(() => cms().get('fg-owner')), true, 'the owner waits for the blocking widget');
    await widgets().patch('fg-w', 'merge', { metadata: { finalizers: null } });
    await waitUntil('fg-owner deleted', async () => !(await exists(() => cms().get('fg-owner'))), { timeoutMs: 20_000 });
    assert.ok(await noneLeft('fg'));
  });

  it('kubectl delete --cascade=foreground returns once the owner and its dependents are gone', async () => {
    await family('fgw', { block: true });
    await kubectlOk(server.kubeconfig, ['delete', 'configmap', 'fgw-owner', '--cascade=foreground', '--timeout=30s']);
    assert.ok(await noneLeft('fgw'));
    assert.equal(await exists(() => cms().get('fgw-owner')), false);
  });

  it('orphan: the owner goes, the dependents stay without their reference to it', async () => {
    const owner = await family('or');
    await kubectlOk(server.kubeconfig, ['delete', 'configmap', 'or-owner', '--cascade=orphan', '--timeout=30s']);
    assert.equal(await exists(() => cms().get('or-owner')), false);
    for (const get of dependentsOf('or')) {
      const dep = (await get()) as KubeObject;
      assert.ok(!dep.metadata?.deletionTimestamp, `${dep.metadata?.name} is not deleted`);
      assert.ok(!(dep.metadata?.ownerReferences ?? []).some((r) => r.uid === owner.metadata?.uid), `${dep.metadata?.name} is orphaned`);
    }
  });

  it('deletes an object whose owner never existed (a virtual owner verified absent)', async () => {
    await cms().create({ metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }] } });
    await waitUntil('dangling deleted', async () => !(await exists(() => cms().get('dangling'))), { timeoutMs: 20_000 });
  });

  it('keeps an object with one live owner, dropping the reference to the dead one', async () => {
    const live = await cms().create({ metadata: { name: 'live-owner' } });
    await cms().create({
      metadata: {
        name: 'two-owners',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'live-owner', uid: live.metadata?.uid ?? '' },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost2', uid: '00000000-0000-0000-0000-000000000002' },
        ],
      },
    });
    await waitUntil('dead reference dropped', async () => (await cms().get('two-owners')).metadata?.ownerReferences?.length === 1, { timeoutMs: 20_000 });
  });

  it('monitors a custom resource whose CRD appears while it runs (before the 30 s rediscovery)', async () => {
    await kubectlOk(server.kubeconfig, ['apply', '-f', '-'], { input: CRD.replaceAll('widget', 'gadget').replaceAll('Widget', 'Gadget') });
    await kubectlOk(server.kubeconfig, ['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=30s']);
    const gadgets = rest.resource<KubeObject>({ ...WIDGETS, resource: 'gadgets', kind: 'Gadget' }).namespace('default');
    await waitUntil('gadgets served', () => exists(() => gadgets.list()), { timeoutMs: 15_000 });
    const owner = await cms().create({ metadata: { name: 'gadget-owner' } });
    await gadgets.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gadget-owner', uid: owner.metadata?.uid ?? '' }] } });
    await cms().delete('gadget-owner');
    await waitUntil('g1 deleted with its owner', async () => !(await exists(() => gadgets.get('g1'))), { timeoutMs: 15_000 });
    await kubectlOk(server.kubeconfig, ['delete', 'crd', 'gadgets.example.com', '--timeout=30s']);
  });

  it('kube-root-ca.crt holds the cluster CA in every new namespace', async () => {
    // (kubectl create namespace sends protobuf, which Kite does not decode yet.)
    await rest.resource<Namespace>(resources.NAMESPACES).create({ metadata: { name: 'ca-check' } });
    const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    const get = () => rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('ca-check').get('kube-root-ca.crt');
    await waitUntil('kube-root-ca.crt in ca-check', () => exists(get), { timeoutMs: 15_000 });
    assert.equal((await get()).data?.['ca.crt'], ca);
    // Changed by hand: put back.
    await rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('ca-check').patch('kube-root-ca.crt', 'merge', { data: { 'ca.crt': 'tampered' } });
    await waitUntil('kube-root-ca.crt restored', async () => (await get()).data?.['ca.crt'] === ca, { timeoutMs: 15_000 });
  });

  it('kubectl delete namespace empties it of custom objects and the rest, then it is gone', async () => {
    await rest.resource<Namespace>(resources.NAMESPACES).create({ metadata: { name: 'team' } });
    await widgets('team').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
    await widgets('team').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2', finalizers: [HOLD] } });
    await rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('team').create({ metadata: { name: 'cfg' } });
    await kubectlOk(server.kubeconfig, ['delete', 'namespace', 'team', '--wait=false']);
    const nsClient = rest.resource<Namespace>(resources.NAMESPACES);
    let last: Namespace | undefined;
    await waitUntil(
      'NamespaceFinalizersRemaining on team',
      async () => {
        last = await nsClient.get('team');
        return (last.status?.conditions ?? []).some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True');
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify(last?.status) },
    );
    const conds = new Map((last?.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(last?.status?.phase, 'Terminating');
    assert.equal(conds.get('NamespaceFinalizersRemaining')?.reason, 'SomeFinalizersRemain');
    assert.equal(conds.get('NamespaceFinalizersRemaining')?.message, `Some content in the namespace has finalizers remaining: ${HOLD} in 1 resource instances`);
    assert.equal(conds.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: widgets.example.com has 1 resource instances');
    assert.equal(conds.get('NamespaceDeletionDiscoveryFailure')?.status, 'False');
    assert.equal(await exists(() => widgets('team').get('w1')), false);
    assert.equal(await exists(() => rest.resource<ConfigMap>(resources.CONFIGMAPS).namespace('team').get('cfg')), false);
    await widgets('team').patch('w2', 'merge', { metadata: { finalizers: null } });
    await kubectlOk(server.kubeconfig, ['delete', 'namespace', 'team', '--ignore-not-found', '--timeout=60s']);
    const names = await kubectlOk(server.kubeconfig, ['get', 'ns', '-o', 'name']);
    assert.doesNotMatch(names, /namespace\/team\b/);
  });
});
