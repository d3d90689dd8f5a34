import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Volume } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { staticLookup, type StaticObjects } from '../lookup/lookup.js';
import { VolumeError } from './errors.js';
import { VolumeManager } from './manager.js';
import { SystemMounter, mountPoints, plainDirectoryMounter, type Mounter } from './mounter.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function pod(volumes: Volume[], uid = 'uid-1'): Pod {
  return {
    metadata: { name: 'web', namespace: 'ns', uid, labels: { app: 'web' } },
    spec: {
      nodeName: 'n1',
      serviceAccountName: 'builder',
      containers: [{ name: 'app', resources: { limits: { memory: '64Mi' } } }],
      volumes,
    },
  };
}

describe('VolumeManager', () => {
  const root = mkdtempSync(join(tmpdir(), 'kite-volumes-'));
  const dataDir = join(root, 'data');
  const clock = new FakeClock();
  const cm: ConfigMap = { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'v1', other: 'o' }, binaryData: { bin: b64('\x00\x01') } };
  const secret: Secret = { metadata: { name: 'creds', namespace: 'ns' }, data: { password: b64('s3cret') } };
  const caCm: ConfigMap = { metadata: { name: 'kube-root-ca.crt', namespace: 'ns' }, data: { 'ca.crt': 'CERT' } };
  const objects: StaticObjects = { configMaps: [cm, caCm], secrets: [secret], claims: [], volumes: [] };
  const warnings: string[] = [];
  const make = (mounter?: Mounter) =>
    new VolumeManager({
      dataDir,
      lookup: staticLookup(objects),
      clock,
      nodeAllocatable: () => ({ cpu: '2', memory: '4Gi' }),
      ...(mounter ? { mounter } : {}),
      onWarning: (_p, m) => warnings.push(m),
    });
  after(async () => {
    // a failed test may leave a tmpfs behind: unmount before removing
    const mounter = new SystemMounter();
    for (const mp of await mounter.mountPointsUnder(root)) await mounter.unmount(mp);
    rmSync(root, { recursive: true, force: true });
  });

  it('sets up emptyDir, configMap (items, modes), secret, downwardAPI and refreshes on re-mount', async () => {
    const vm = make(plainDirectoryMounter);
    const p = pod([
      { name: 'scratch', emptyDir: { sizeLimit: '1Mi' } },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o600 } },
      { name: 'some', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o400 }] } },
      { name: 'creds', secret: { secretName: 'creds' } },
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
            { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
          ],
        },
      },
    ]);
    const mounted = await vm.mountPod(p);
    const podDir = join(dataDir, 'pods', 'uid-1', 'volumes');
    assert.equal(mounted.get('scratch'), join(podDir, 'kubernetes.io~empty-dir', 'scratch'));
    assert.equal(statSync(mounted.get('scratch')!).mode & 0o777, 0o777);
    assert.equal(vm.sizeLimits('uid-1').get('scratch'), 1024 * 1024);
    const cfg = mounted.get('cfg')!;
    assert.equal(cfg, join(podDir, 'kubernetes.io~configmap', 'cfg'));
    assert.equal(readFileSync(join(cfg, 'app.conf'), 'utf8'), 'v1');
    assert.deepEqual([...readFileSync(join(cfg, 'bin'))], [0, 1]);
    assert.equal(statSync(join(cfg, 'app.conf')).mode & 0o777, 0o600);
    assert.equal(readlinkSync(join(cfg, 'app.conf')), '..data/app.conf');
    const some = mounted.get('some')!;
    assert.equal(readFileSync(join(some, 'conf/app.conf'), 'utf8'), 'v1');
    assert.equal(statSync(join(some, 'conf/app.conf')).mode & 0o777, 0o400);
    assert.equal(existsSync(join(some, 'other')), false);
    assert.equal(readFileSync(join(mounted.get('creds')!, 'password'), 'utf8'), 's3cret');
    const info = mounted.get('info')!;
    assert.equal(readFileSync(join(info, 'labels'), 'utf8'), 'app="web"');
    assert.equal(readFileSync(join(info, 'mem'), 'utf8'), '64');
    assert.equal(readFileSync(join(info, 'cpu'), 'utf8'), '2');

    // content changes are picked up on the next mountPod
    cm.data = { 'app.conf': 'v2' };
    await clock.step(1000);
    await vm.mountPod(p);
    assert.equal(readFileSync(join(cfg, 'app.conf'), 'utf8'), 'v2');
    assert.equal(existsSync(join(cfg, 'other')), false);
    cm.data = { 'app.conf': 'v1', other: 'o' };

    // mounts: API data volumes are read-only; subPath is created below the volume
    const mounts = vm.containerMounts(
      p,
      {
        name: 'app',
        volumeMounts: [
          { name: 'scratch', mountPath: '/scratch' },
          { name: 'scratch', mountPath: '/logs', subPathExpr: '$(POD)/logs' },
          { name: 'cfg', mountPath: '/etc/app' },
          { name: 'scratch', mountPath: '/ro', readOnly: true, subPath: 'ro' },
        ],
      },
      mounted,
      [{ key: 'POD', value: 'web' }],
    );
    const scratch = mounted.get('scratch')!;
    assert.deepEqual(mounts, [
      { containerPath: '/scratch', hostPath: scratch, readonly: false },
      { containerPath: '/logs', hostPath: join(scratch, 'web/logs'), readonly: false },
      { containerPath: '/etc/app', hostPath: cfg, readonly: true },
      { containerPath: '/ro', hostPath: join(scratch, 'ro'), readonly: true },
    ]);
    assert.ok(statSync(join(scratch, 'web/logs')).isDirectory());
    assert.throws(() => vm.containerMounts(p, { name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: '../../etc' }] }, mounted), /must not contain '..'/);
    assert.throws(() => vm.containerMounts(p, { name: 'app', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, mounted), /cannot find volume "nope"/);

    await vm.unmountPod('uid-1');
    assert.equal(existsSync(join(dataDir, 'pods', 'uid-1')), false);
  });

  it('fails with the kubelet\'s FailedMount messages, honouring optional', async () => {
    const vm = make(plainDirectoryMounter);
    const cases: Array<[Volume, string]> = [
      [{ name: 'v', configMap: { name: 'missing' } }, 'MountVolume.SetUp failed for volume "v" : configmap "missing" not found'],
      [{ name: 'v', secret: { secretName: 'missing' } }, 'MountVolume.SetUp failed for volume "v" : secret "missing" not found'],
      [{ name: 'v', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'x' }] } }, 'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: nope'],
      [{ name: 'v', secret: { secretName: 'creds', items: [{ key: 'nope', path: 'x' }] } }, 'MountVolume.SetUp failed for volume "v" : references non-existent secret key: nope'],
    ];
    for (const [volume, message] of cases) {
      await assert.rejects(vm.mountPod(pod([volume], 'uid-err')), (err: unknown) => err instanceof VolumeError && err.message === message && err.reason === 'FailedMount');
    }
    const ok = await vm.mountPod(pod([{ name: 'v', configMap: { name: 'missing', optional: true } }, { name: 'w', secret: { secretName: 'creds', optional: true, items: [{ key: 'nope', path: 'x' }] } }], 'uid-opt'));
    assert.equal(ok.size, 2);
    await vm.unmountPod('uid-err');
    await vm.unmountPod('uid-opt');
  });

  it('writes a projected service-account volume, leaving the token out when the API does not serve it', async () => {
    const vm = make(plainDirectoryMounter);
    const projected: Volume = {
      name: 'kube-api-access',
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    };
    warnings.length = 0;
    const dir = (await vm.mountPod(pod([projected], 'uid-p'))).get('kube-api-access')!;
    assert.equal(dir, join(dataDir, 'pods', 'uid-p', 'volumes', 'kubernetes.io~projected', 'kube-api-access'));
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), 'CERT');
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'ns');
    assert.equal(existsSync(join(dir, 'token')), false);
    assert.match(warnings[0], /no service account token at token/);

    // with a TokenRequest API, the token is written and reused until 80% of its lifetime
    const requests: string[] = [];
    objects.issueToken = (ns, sa, spec) => {
      requests.push(`${ns}/${sa} ${spec.expirationSeconds} ${spec.boundObjectRef?.name}`);
      return { token: `tok-${requests.length}`, expirationTimestamp: new Date(clock.now() + 3607_000).toISOString() };
    };
    await vm.mountPod(pod([projected], 'uid-p'));
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'tok-1');
    await vm.mountPod(pod([projected], 'uid-p'));
    assert.deepEqual(requests, ['ns/builder 3607 web']);
    await clock.step(3000_000);
    await vm.mountPod(pod([projected], 'uid-p'));
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'tok-2');
    delete objects.issueToken;
    await vm.unmountPod('uid-p');
  });

  it('checks hostPath types as Kubernetes does', async () => {
    const vm = make(plainDirectoryMounter);
    const host = join(root, 'host');
    mkdirSync(host);
    writeFileSync(join(host, 'file'), 'x');
    const sock = createServer();
    await new Promise<void>((r) => sock.listen(join(host, 'sock'), r));
    try {
      const good = await vm.mountPod(
        pod(
          [
            { name: 'a', hostPath: { path: join(host, 'new/dir'), type: 'DirectoryOrCreate' } },
            { name: 'b', hostPath: { path: join(host, 'newfile'), type: 'FileOrCreate' } },
            { name: 'c', hostPath: { path: join(host, 'file'), type: 'File' } },
            { name: 'd', hostPath: { path: join(host, 'sock'), type: 'Socket' } },
            { name: 'e', hostPath: { path: join(host, 'whatever') } },
          ],
          'uid-h',
        ),
      );
      assert.equal(good.get('a'), join(host, 'new/dir'));
      assert.ok(statSync(join(host, 'new/dir')).isDirectory());
      assert.ok(statSync(join(host, 'newfile')).isFile());
      const bad: Array<[Volume, string]> = [
        [{ name: 'v', hostPath: { path: join(host, 'file'), type: 'Directory' } }, `hostPath type check failed: ${join(host, 'file')} is not a directory`],
        [{ name: 'v', hostPath: { path: host, type: 'File' } }, `hostPath type check failed: ${host} is not a file`],
        [{ name: 'v', hostPath: { path: join(host, 'file'), type: 'Socket' } }, `hostPath type check failed: ${join(host, 'file')} is not a socket file`],
        [{ name: 'v', hostPath: { path: join(host, 'file'), type: 'CharDevice' } }, `hostPath type check failed: ${join(host, 'file')} is not a character device`],
      ];
      for (const [volume, detail] of bad) {
        await assert.rejects(vm.mountPod(pod([volume], 'uid-h')), (err: unknown) => err instanceof VolumeError && err.detail === detail);
      }
      await vm.unmountPod('uid-h');
      assert.ok(existsSync(join(host, 'file')), 'unmountPod leaves hostPaths alone');
    } finally {
      sock.close();
    }
  });

  it('maps a bound hostPath/local claim to its path; an unbound claim is pending', async () => {
    const vm = make(plainDirectoryMounter);
    const pvPath = join(root, 'pv1');
    mkdirSync(pvPath);
    const claim: PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'ns', uid: 'c-1' }, spec: {}, status: { phase: 'Pending' } };
    const pv: PersistentVolume = { metadata: { name: 'pv1' }, spec: { hostPath: { path: pvPath }, claimRef: { namespace: 'ns', name: 'data', uid: 'c-1' } } };
    objects.claims = [claim];
    objects.volumes = [pv];
    const p = pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], 'uid-c');
    await assert.rejects(vm.mountPod(p), (err: unknown) => err instanceof VolumeError && err.pending && err.detail === 'error processing PVC ns/data: PVC is not bound');
    objects.claims = [{ ...claim, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } }];
    assert.equal((await vm.mountPod(p)).get('data'), pvPath);
    const ro = pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }], 'uid-c');
    const mounted = await vm.mountPod(ro);
    assert.deepEqual(vm.containerMounts(ro, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, mounted), [
      { containerPath: '/data', hostPath: pvPath, readonly: true },
    ]);
    pv.spec = { local: { path: pvPath }, claimRef: { namespace: 'ns', name: 'data', uid: 'c-1' } };
    assert.equal((await vm.mountPod(p)).get('data'), pvPath);
    await assert.rejects(vm.mountPod(pod([{ name: 'data', persistentVolumeClaim: { claimName: 'nope' } }], 'uid-c')), /persistentvolumeclaim "nope" not found/);
    // a generic ephemeral volume uses the claim <pod>-<volume>, which the pod must own
    const eph = pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }], 'uid-e');
    const ephClaim = { metadata: { name: 'web-scratch', namespace: 'ns', uid: 'c-1' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' as const } };
    objects.claims = [ephClaim];
    await assert.rejects(vm.mountPod(eph), (err: unknown) => err instanceof VolumeError && err.detail === 'PVC ns/web-scratch was not created for pod ns/web (pod is not owner)');
    objects.claims = [{ ...ephClaim, metadata: { ...ephClaim.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-e', controller: true }] } }];
    assert.equal((await vm.mountPod(eph)).get('scratch'), pvPath);
    await vm.unmountPod('uid-e');
    await vm.unmountPod('uid-c');
    assert.ok(existsSync(pvPath));
  });

  it('puts memory emptyDirs and secrets on tmpfs when root, and unmounts them', async () => {
    assert.ok(new SystemMounter().canMountTmpfs, 'this test needs root (tmpfs mounts); the test suite runs as root');
    const vm = make();
    const p = pod([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '2Mi' } }, { name: 'creds', secret: { secretName: 'creds' } }], 'uid-t');
    const mounted = await vm.mountPod(p);
    await vm.mountPod(p); // idempotent: no second mount
    const points = await mountPoints();
    assert.equal(points.filter((m) => m === mounted.get('mem')).length, 1);
    assert.equal(points.filter((m) => m === mounted.get('creds')).length, 1);
    assert.equal(readFileSync(join(mounted.get('creds')!, 'password'), 'utf8'), 's3cret');
    await vm.unmountPod('uid-t');
    const after = await mountPoints();
    assert.ok(!after.some((m) => m.startsWith(join(dataDir, 'pods', 'uid-t'))));
    assert.equal(existsSync(join(dataDir, 'pods', 'uid-t')), false);
  });

  it('applies the pod\'s fsGroup to emptyDir and configMap volumes', async () => {
    assert.equal(process.getuid?.(), 0, 'this test needs root (chown); the test suite runs as root');
    const vm = make(plainDirectoryMounter);
    const p = pod([{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o400 } }], 'uid-g');
    p.spec!.securityContext = { fsGroup: 2345 };
    const mounted = await vm.mountPod(p);
    const scratch = statSync(mounted.get('scratch')!);
    assert.equal(scratch.gid, 2345);
    assert.equal(scratch.mode & 0o7777, 0o2777);
    const file = statSync(join(mounted.get('cfg')!, 'app.conf'));
    assert.equal(file.gid, 2345);
    assert.equal(file.mode & 0o777, 0o440, 'read-only volume: group read added');
    const ts = readlinkSync(join(mounted.get('cfg')!, '..data'));
    await vm.mountPod(p);
    assert.equal(readlinkSync(join(mounted.get('cfg')!, '..data')), ts, 'unchanged content is not rewritten');
    await vm.unmountPod('uid-g');
  });

  it('keeps a memory emptyDir as a plain directory without tmpfs, and says so', async () => {
    warnings.length = 0;
    const vm = make(plainDirectoryMounter);
    const mounted = await vm.mountPod(pod([{ name: 'mem', emptyDir: { medium: 'Memory' } }], 'uid-m'));
    assert.ok(lstatSync(mounted.get('mem')!).isDirectory());
    assert.deepEqual(warnings, ['emptyDir mem: medium Memory is a plain directory (tmpfs needs root)']);
    await vm.unmountPod('uid-m');
  });
});
