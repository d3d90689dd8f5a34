// The kubelet's image garbage collector on a real, private containerd
// (test/support/containerd-process.ts): containerd's image filesystem measured through CRI
// ImageFsInfo and statfs; its sandbox image reported pinned; with thresholds that force GC
// (high 1 %, low 0 %, minimum age 0 s) an unused image is removed while the image a running
// container uses and the pinned sandbox image stay, and the shortfall is the kubelet's
// FreeDiskSpaceFailed event on the Node; once the pod is gone its image goes too. And the same
// through `kite server --runtime containerd` with the --image-gc-* flags: its kubelet collects at
// start and records the event on its Node.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImageGcManager } from '../src/kubelet/images/image-gc.js';
import { readImageFsStats } from '../src/kubelet/images/image-fs.js';
import type { ContainerRuntime, PodSandboxConfig } from '../src/runtime/runtime.js';
import { FakeClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/log.js';
import { PAUSE_IMAGE, startContainerd, type ContainerdProcess } from './support/containerd-process.js';
import { kubectlOk } from './support/kubectl.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './support/kite-server.js';
import type { BuiltImage } from './support/oci-image.js';
import { waitUntil } from './support/wait-until.js';

const USED = 'kite.local/busybox:1';
const UNUSED = 'kite.local/unused:1';

describe('image garbage collection on containerd', () => {
  let containerd: ContainerdProcess;
  let runtime: ContainerRuntime;
  let used: BuiltImage;
  let unused: BuiltImage;

  before(async () => {
    containerd = await startContainerd();
    used = containerd.addImage({ name: USED });
    unused = containerd.addImage({ name: UNUSED, cmd: ['echo', 'never run'] });
    runtime = containerd.runtime();
  });

  after(async () => {
    await containerd?.stop();
  });

  const tags = async (): Promise<string[]> => (await runtime.listImages()).flatMap((i) => i.repoTags).sort();

  it("measures containerd's image filesystem and reports its sandbox image pinned", async () => {
    const stats = await readImageFsStats(runtime);
    assert.ok(existsSync(stats.mountpoint), stats.mountpoint);
    assert.ok(stats.capacityBytes > 0 && stats.availableBytes <= stats.capacityBytes, JSON.stringify(stats));
    const images = await runtime.listImages();
    assert.deepEqual(images.filter((i) => i.pinned).map((i) => i.repoTags), [[PAUSE_IMAGE]]);
    assert.equal((await runtime.imageStatus(PAUSE_IMAGE))?.pinned, true);
    assert.equal((await runtime.imageStatus(USED))?.pinned, undefined);
    assert.equal((await runtime.imageStatus(USED))?.id, used.configDigest);
  });

  it('removes the unused image and keeps the one a running container uses and the pinned sandbox image', async () => {
    const uid = 'gc-pod-uid';
    const logDirectory = join(containerd.logRoot, `default_gc_${uid}`);
    mkdirSync(logDirectory, { recursive: true });
    const sandbox: PodSandboxConfig = {
      metadata: { name: 'gc', namespace: 'default', uid, attempt: 0 },
      hostname: 'gc',
      logDirectory,
      portMappings: [],
      labels: {},
      annotations: {},
      hostNetwork: false,
      cgroupParent: containerd.cgroupParent,
    };
    const sandboxId = await runtime.runPodSandbox(sandbox);
    const containerId = await runtime.createContainer(
      sandboxId,
      { metadata: { name: 'main', attempt: 0 }, image: USED, command: ['sleep', '3600'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: 'main/0.log', stdin: false, stdinOnce: false, tty: false },
      sandbox,
    );
    await runtime.startContainer(containerId);

    const clock = new FakeClock();
    const events: { reason: string; message: string; kind: unknown }[] = [];
    const gc = new ImageGcManager({
      runtime,
      policy: { highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0, maxAgeMs: 0 },
      nodeName: 'gc-node',
      recorder: { event: (object, _type, reason, message) => void events.push({ reason, message, kind: (object as { kind?: string }).kind }) },
      clock,
      logger: silentLogger,
    });
    // freeing down to 0 % of the filesystem asks for more than any image holds
    await assert.rejects(gc.garbageCollect(clock.now()), /^Error: Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found \d+ bytes eligible to free\.$/);
    assert.deepEqual(await tags(), [USED, PAUSE_IMAGE].sort());
    assert.equal(await runtime.imageStatus(UNUSED), undefined);
    assert.equal(await runtime.imageStatus(unused.configDigest), undefined);
    assert.deepEqual(events.map((e) => [e.kind, e.reason]), [['Node', 'FreeDiskSpaceFailed']]);
    assert.match(events[0]!.message, /only found [1-9]\d* bytes eligible to free/, 'the unused image counted');
    assert.equal((await runtime.containerStatus(containerId)).state, 'running');

    // the pod gone, its image is no longer in use
    await runtime.stopPodSandbox(sandboxId);
    await runtime.removePodSandbox(sandboxId);
    await clock.step(1000);
    await assert.rejects(gc.garbageCollect(clock.now()), /Attempted to free/);
    assert.deepEqual(await tags(), [PAUSE_IMAGE]);
  });
});

describe('image garbage collection in kite server on containerd', () => {
  let containerd: ContainerdProcess;
  let server: KiteServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kite-image-gc-'));
  const NODE = 'image-gc-node';

  before(async () => {
    containerd = await startContainerd();
    containerd.addImage({ name: UNUSED, cmd: ['echo', 'never run'] });
  });

  after(async () => {
    if (server) await stopKiteServer(server);
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the --image-gc-* flags reach the kubelet: the unused image is collected at start, the shortfall is an event on the Node', async () => {
    const runtime = containerd.runtime();
    assert.ok(await runtime.imageStatus(UNUSED));
    server = await startKiteServer(join(dir, 'server'), {
      kubelet: true,
      extraArgs: [
        '--node-name', NODE,
        '--runtime', 'containerd',
        '--containerd-endpoint', `unix://${containerd.address}`,
        '--containerd-netns', containerd.netns,
        '--cgroup-root', containerd.cgroupParent,
        '--image-gc-high-threshold', '1',
        '--image-gc-low-threshold', '0',
        '--image-minimum-gc-age', '0s',
      ],
    });
    await waitUntil('the kubelet to collect the unused image', async () => (await runtime.imageStatus(UNUSED)) === undefined, { timeoutMs: 30_000, intervalMs: 200 });
    assert.ok(await runtime.imageStatus(PAUSE_IMAGE), 'the pinned sandbox image stays');
    let events: { reason: string; message: string; type: string; source?: { component?: string } }[] = [];
    await waitUntil('the FreeDiskSpaceFailed event on the Node', async () => {
      const list = JSON.parse(await kubectlOk(server!.kubeconfig, ['get', 'events', '-A', '--field-selector', `involvedObject.kind=Node,involvedObject.name=${NODE}`, '-o', 'json'])) as { items: typeof events };
      events = list.items;
      return events.some((e) => e.reason === 'FreeDiskSpaceFailed');
    }, { timeoutMs: 30_000, intervalMs: 500, describe: () => JSON.stringify(events) });
    const failed = events.find((e) => e.reason === 'FreeDiskSpaceFailed')!;
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.source?.component, 'kubelet');
    assert.match(failed.message, /^Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found [1-9]\d* bytes eligible to free\.$/);
  });
});
