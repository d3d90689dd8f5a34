// Persistent volumes end to end. On simulated nodes (scheduler + controllers): a static hostPath
// volume pinned to one node decides where its claim's pod runs — bound by the PV controller first
// (Immediate) or chosen by the scheduler and bound through PreBind (WaitForFirstConsumer); a pod
// whose Immediate claim is unbound waits with kube-scheduler's message until a volume appears; a
// Retain volume whose claim is deleted is Released. With a real kubelet: a
// claim of the default local-path class is provisioned on the node the scheduler picked, the pod
// writes into it, and deleting the claim deletes the volume and its directory; `kubectl get
// pv,pvc,sc` prints them as Kubernetes does.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Container, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isNotFound } from '../src/api/status-predicates.js';
import { resources, RestClient } from '../src/client/rest/index.js';
import { useCluster } from './support/cluster-fixture.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import { kubectl, kubectlOk } from './support/kubectl.js';
import { waitUntil } from './support/wait-until.js';

const onNode = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } });
const hostPathPV = (name: string, node: string, storageClassName: string): PersistentVolume => ({
  metadata: { name },
  spec: {
    capacity: { storage: '1Gi' },
    accessModes: ['ReadWriteOnce'],
    storageClassName,
    persistentVolumeReclaimPolicy: 'Retain',
    hostPath: { path: `/tmp/kite-${name}` },
    nodeAffinity: onNode(node),
  },
});
const claimOf = (name: string, storageClassName?: string): PersistentVolumeClaim => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName !== undefined ? { storageClassName } : {}) },
});
const podUsing = (name: string, claim: string, containers: Container[] = [{ name: 'c', image: 'busybox' }]): Pod => ({
  metadata: { name },
  spec: { containers, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
});
const gone = async (get: () => Promise<unknown>) => {
  try {
    await get();
    return false;
  } catch (err) {
    return isNotFound(err);
  }
};

describe('volume binding on simulated nodes', () => {
  const cluster = useCluster({ name: 'volumes', scheduler: true, controllers: true, nodes: { n1: {}, n2: {}, n3: {} } });
  const ns = 'default';
  const pvs = () => cluster.rest.resource<PersistentVolume>(resources.PERSISTENTVOLUMES);
  const pvcs = () => cluster.rest.resource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS).namespace(ns);
  const pods = () => cluster.rest.resource<Pod>(resources.PODS).namespace(ns);

  it('an Immediate claim is bound to the static volume, and its pod lands on the volume\'s node', async () => {
    await pvs().create(hostPathPV('static-n2', 'n2', ''));
    await pvcs().create(claimOf('static', ''));
    await waitUntil('the claim is bound', async () => (await pvcs().get('static')).status?.phase === 'Bound');
    const claim = await pvcs().get('static');
    assert.equal(claim.spec?.volumeName, 'static-n2');
    assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(claim.status?.capacity, { storage: '1Gi' });
    const pv = await pvs().get('static-n2');
    assert.equal(pv.status?.phase, 'Bound');
    assert.equal(pv.spec?.claimRef?.uid, claim.metadata?.uid);

    await pods().create(podUsing('uses-static', 'static'));
    await waitUntil('the pod is scheduled', async () => !!(await pods().get('uses-static')).spec?.nodeName);
    assert.equal((await pods().get('uses-static')).spec?.nodeName, 'n2');
  });

  it('a WaitForFirstConsumer claim is bound by the scheduler to a volume on the node it picks', async () => {
    await cluster.rest.resource<StorageClass>(resources.STORAGECLASSES).create({
      metadata: { name: 'manual' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    await pvs().create(hostPathPV('manual-n3', 'n3', 'manual'));
    await waitUntil('the volume is Available', async () => (await pvs().get('manual-n3')).status?.phase === 'Available');
    await pvcs().create(claimOf('late', 'manual'));
    await pods().create(podUsing('uses-late', 'late'));
    await waitUntil('the pod is scheduled', async () => !!(await pods().get('uses-late')).spec?.nodeName, { timeoutMs: 20_000 });
    assert.equal((await pods().get('uses-late')).spec?.nodeName, 'n3');
    const claim = await pvcs().get('late');
    assert.equal(claim.status?.phase, 'Bound');
    assert.equal(claim.spec?.volumeName, 'manual-n3');
  });

  it('a pod whose Immediate claim cannot bind waits, with kube-scheduler\'s reason, until a volume appears', async () => {
    await pvcs().create(claimOf('nothing', ''));
    await pods().create(podUsing('waits', 'nothing'));
    await waitUntil('the pod is marked unschedulable', async () => {
      const cond = (await pods().get('waits')).status?.conditions?.find((c) => c.type === 'PodScheduled');
      return cond?.status === 'False' && /pod has unbound immediate PersistentVolumeClaims/.test(cond.message ?? '');
    });
    assert.equal((await pods().get('waits')).spec?.nodeName, undefined);
    // A volume that appears later is bound to the waiting claim, and the pod follows it.
    await pvs().create(hostPathPV('later-n1', 'n1', ''));
    await waitUntil('the pod is scheduled', async () => !!(await pods().get('waits')).spec?.nodeName, { timeoutMs: 20_000 });
    assert.equal((await pods().get('waits')).spec?.nodeName, 'n1');
    assert.equal((await pvcs().get('nothing')).spec?.volumeName, 'later-n1');
    // Released and Retain: deleting the bound claim keeps the volume, Released.
    await pods().delete('uses-static', { gracePeriodSeconds: 0 });
    await pvcs().delete('static');
    await waitUntil('the volume is Released', async () => (await pvs().get('static-n2')).status?.phase === 'Released');
  });
  it('a released static volume with reclaimPolicy Delete fails: no deleter serves hostPath', async () => {
    await pvs().create({ ...hostPathPV('doomed', 'n1', 'gone'), spec: { ...hostPathPV('doomed', 'n1', 'gone').spec, persistentVolumeReclaimPolicy: 'Delete' } });
    await pvcs().create(claimOf('brief', 'gone'));
    await waitUntil('the claim is bound', async () => (await pvcs().get('brief')).status?.phase === 'Bound');
    await pvcs().delete('brief');
    await waitUntil('the volume failed', async () => (await pvs().get('doomed')).status?.phase === 'Failed');
    assert.match((await pvs().get('doomed')).status?.message ?? '', /no deletable volume plugin matched/);
  });
  it('a claim created while no class is the default gets the default class once there is one', async () => {
    const classes = cluster.rest.resource<StorageClass>(resources.STORAGECLASSES);
    const mark = (value: string | null) => classes.patch('local-path', 'merge', { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': value } } });
    await mark(null);
    await pvcs().create(claimOf('classless'));
    assert.equal((await pvcs().get('classless')).spec?.storageClassName, undefined);
    await mark('true');
    await waitUntil('the default class is assigned', async () => (await pvcs().get('classless')).spec?.storageClassName === 'local-path');
  });
});

describe('local-path volumes with a real kubelet', () => {
  let dir: string;
  let server: KiteServer;
  let rest: RestClient;
  const NODE = 'vol-node';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kite-volumes-kubelet-'));
    server = await startKiteServer(dir, { scheduler: true, controllers: true, kubelet: true, extraArgs: ['--node-name', NODE] });
    rest = RestClient.fromKubeconfig(server.kubeconfig);
  });
  after(async () => {
    if (server) await kubectl(server.kubeconfig, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
    rest?.close();
    if (server) await stopKiteServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions a claim of the default class on the scheduled node; the pod writes into it; deleting the claim deletes the volume', async () => {
    const pvcs = rest.resource<PersistentVolumeClaim>(resources.PERSISTENTVOLUMECLAIMS).namespace('default');
    const pvs = rest.resource<PersistentVolume>(resources.PERSISTENTVOLUMES);
    const pods = rest.resource<Pod>(resources.PODS).namespace('default');
    const claim = await pvcs.create(claimOf('data'));
    assert.equal(claim.spec?.storageClassName, 'local-path');
    // The process runtime has no mount namespace: a mount is found under $KITE_ROOT (container-root.ts).
    await pods.create(
      podUsing('writer', 'data', [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello > $KITE_ROOT/data/greeting && sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }]),
    );
    await waitUntil('the pod runs', async () => (await pods.get('writer')).status?.phase === 'Running', { timeoutMs: 30_000 });
    const bound = await pvcs.get('data');
    assert.equal(bound.status?.phase, 'Bound');
    assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/selected-node'], NODE);
    assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
    const pv = await pvs.get(bound.spec?.volumeName ?? '');
    const path = pv.spec?.hostPath?.path ?? '';
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
    assert.deepEqual(pv.spec?.nodeAffinity, onNode(NODE));
    assert.ok(path.startsWith(dir), `${path} is under the server's data directory`);
    await waitUntil('the pod wrote into the volume', async () => existsSync(join(path, 'greeting')));
    assert.equal(readFileSync(join(path, 'greeting'), 'utf8'), 'hello\n');

    const table = await kubectlOk(server.kubeconfig, ['get', 'pv,pvc,sc']);
    const pvName = pv.metadata?.name ?? '';
    assert.match(table, /NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE/);
    assert.match(table, new RegExp(`persistentvolume/${pvName}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+local-path\\s+<unset>\\s+\\S+`));
    assert.match(table, /NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE/);
    assert.match(table, new RegExp(`persistentvolumeclaim/data\\s+Bound\\s+${pvName}\\s+1Gi\\s+RWO\\s+local-path\\s+<unset>\\s+\\S+`));
    assert.match(table, /NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
    assert.match(table, /storageclass.storage.k8s.io\/local-path \(default\)\s+rancher.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\S+/);

    await kubectlOk(server.kubeconfig, ['delete', 'pod', 'writer', '--wait=true', '--timeout=60s']);
    await pvcs.delete('data');
    await waitUntil('the volume is deleted', () => gone(() => pvs.get(pvName)), { timeoutMs: 20_000 });
    assert.equal(existsSync(path), false, 'the provisioned directory is removed');
  });
});
