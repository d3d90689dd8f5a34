import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, FilesystemUsage, Image } from '../../runtime/runtime.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGcPolicy } from './gc-policy.js';
import { readImageFsStats } from './image-fs.js';
import { ImageGcManager, type ImageGcRuntime } from './image-gc.js';

const MIN = 60_000;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A fake ImageService (and the container list the collector reads) over a fixed-size disk. */
class FakeImages implements ImageGcRuntime {
  images: Image[] = [];
  containers: Container[] = [];
  removed: string[] = [];
  failRemoval = new Set<string>();

  add(id: string, sizeBytes: number, extra: Partial<Image> = {}): void {
    this.images.push({ id, repoTags: [`kite.local/${id}:1`], repoDigests: [`kite.local/${id}@sha256:${id}`], sizeBytes, ...extra });
  }

  use(containerId: string, image: string, imageRef: string): void {
    this.containers.push({
      id: containerId,
      podSandboxId: 's',
      metadata: { name: containerId, attempt: 0 },
      image,
      imageRef,
      state: 'running',
      createdAt: 0,
      labels: {},
      annotations: {},
    });
  }

  async listImages(): Promise<Image[]> {
    return this.images.map((i) => ({ ...i }));
  }
  async listContainers(): Promise<Container[]> {
    return [...this.containers];
  }
  async removeImage(image: string): Promise<void> {
    if (this.failRemoval.has(image)) throw new Error(`cannot remove ${image}`);
    this.removed.push(image);
    this.images = this.images.filter((i) => i.id !== image);
  }
  async imageFsInfo(): Promise<FilesystemUsage[]> {
    return [{ timestamp: 0, mountpoint: '/var/lib/images', usedBytes: 0 }];
  }
}

interface Recorded {
  type: string;
  reason: string;
  message: string;
  object: unknown;
}

function setup(policy: Partial<ImageGcPolicy> = {}, disk = { capacityBytes: 1000, availableBytes: 500 }, imagesUseDisk = true) {
  const clock = new FakeClock();
  const runtime = new FakeImages();
  const events: Recorded[] = [];
  let fsReads = 0;
  const gc = new ImageGcManager({
    runtime,
    policy: { ...DEFAULT_IMAGE_GC_POLICY, ...policy },
    nodeName: 'node-a',
    recorder: { event: (object, type, reason, message) => void events.push({ object, type, reason, message }) },
    clock,
    logger: silentLogger,
    imagesUseDisk,
    fsStats: async () => {
      fsReads++;
      return { mountpoint: '/var/lib/images', usedBytes: 0, ...disk };
    },
  });
  return { clock, runtime, events, gc, disk, fsReads: () => fsReads };
}

describe('ImageGcManager', () => {
  it('below the high threshold removes nothing; usage is 100 − ⌊available·100/capacity⌋ as the kubelet counts it', async () => {
    const { gc, runtime, events, clock, disk } = setup({ minAgeMs: 0 }, { capacityBytes: 1000, availableBytes: 160 }); // 84 %
    runtime.add('a', 100);
    await gc.garbageCollect(0);
    assert.deepEqual(runtime.removed, []);
    assert.deepEqual(events, []);
    await clock.step(MIN);
    disk.availableBytes = 151; // 84.9 % counts as 85 %
    await gc.garbageCollect(0);
    assert.deepEqual(runtime.removed, ['a']);
  });

  it('at the high threshold frees down to the low one: unused images, least recently used first, keeping in-use, young and pinned ones', async () => {
    const { gc, runtime, events, clock, disk } = setup();
    runtime.add('a', 60);
    runtime.add('b', 50);
    runtime.add('c', 70);
    runtime.add('pause', 80, { pinned: true });
    runtime.use('ca', 'kite.local/a:1', 'kite.local/a@sha256:a'); // by repo digest
    runtime.use('cc', 'whatever', 'c'); // by image id
    const began = clock.now();
    await gc.garbageCollect(began); // 50 %: only detection; a and c used now
    assert.equal(gc.record('a')?.lastUsed, began);
    assert.equal(gc.record('b')?.lastUsed, 0);

    await clock.step(3 * MIN);
    runtime.containers = runtime.containers.filter((c) => c.id !== 'ca'); // a is no longer used
    runtime.add('young', 500);
    disk.availableBytes = 100; // 90 %: free 1000·20 % − 100 = 100 bytes to be back at 80 %
    await gc.garbageCollect(began);
    // b (never used) before a (used 3 min ago); 50 + 60 ≥ 100 so nothing more
    assert.deepEqual(runtime.removed, ['b', 'a']);
    assert.deepEqual(events, []);
    assert.equal(gc.record('b'), undefined);
  });

  it('breaks ties of last use by first detection and stops once enough is freed', async () => {
    const { gc, runtime, clock, disk } = setup({ minAgeMs: 0, highThresholdPercent: 80, lowThresholdPercent: 79 });
    runtime.add('old', 10);
    await gc.garbageCollect(0);
    await clock.step(MIN);
    runtime.add('new', 10);
    runtime.add('newer', 10);
    disk.availableBytes = 195; // 81 % ≥ high 80, low 79: free 210 − 195 = 15
    await gc.garbageCollect(0);
    assert.deepEqual(runtime.removed.slice(0, 1), ['old'], 'the earliest detected goes first');
    assert.equal(runtime.removed.length, 2);
  });

  it('emits FreeDiskSpaceFailed with the kubelet message when not enough is eligible', async () => {
    const { gc, runtime, events, clock } = setup({}, { capacityBytes: 1000, availableBytes: 100 });
    runtime.add('used', 300);
    runtime.add('unused', 40);
    runtime.add('young', 500);
    runtime.use('c1', 'kite.local/used:1', 'used');
    // at first sight every image is younger than the minimum age: nothing is eligible
    await assert.rejects(gc.garbageCollect(0), /Attempted to free 100 bytes, but only found 0 bytes eligible to free/);
    await clock.step(2 * MIN);
    runtime.images = runtime.images.filter((i) => i.id !== 'young');
    runtime.add('just-pulled', 500);
    events.length = 0;
    await assert.rejects(gc.garbageCollect(0), /Attempted to free 100 bytes, but only found 40 bytes eligible to free/);
    assert.deepEqual(runtime.removed, ['unused']);
    assert.deepEqual(events, [
      {
        object: { kind: 'Node', name: 'node-a', uid: 'node-a' },
        type: 'Warning',
        reason: 'FreeDiskSpaceFailed',
        message: 'Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 40 bytes eligible to free.',
      },
    ]);
  });

  it('keeps going past a failed removal and reports it', async () => {
    const { gc, runtime } = setup({ minAgeMs: 0 }, { capacityBytes: 1000, availableBytes: 0 });
    runtime.add('a', 10);
    runtime.add('b', 10);
    runtime.failRemoval.add('a');
    await assert.rejects(gc.garbageCollect(0), /wanted to free 200 bytes, but freed 10 bytes space with errors in image deletion: cannot remove a/);
    assert.deepEqual(runtime.removed, ['b']);
  });

  it('deleteUnusedImages removes every unused image old enough, whatever the usage', async () => {
    const { gc, runtime, clock, fsReads } = setup();
    runtime.add('a', 10);
    runtime.add('b', 20);
    runtime.add('used', 30);
    runtime.use('c', 'kite.local/used:1', 'used');
    assert.equal(await gc.deleteUnusedImages(), 0, 'all younger than the minimum age');
    await clock.step(2 * MIN);
    assert.equal(await gc.deleteUnusedImages(), 30);
    assert.deepEqual(runtime.removed.sort(), ['a', 'b']);
    assert.equal(fsReads(), 0);
  });

  it('an invalid capacity is an InvalidDiskCapacity event', async () => {
    const { gc, events } = setup({}, { capacityBytes: 0, availableBytes: 0 });
    await assert.rejects(gc.garbageCollect(0), /invalid capacity 0 on image filesystem/);
    assert.equal(events[0]?.reason, 'InvalidDiskCapacity');
  });

  it('runs every period from start(); ImageGCFailed only when GC fails twice in a row', async () => {
    const { gc, runtime, events, clock } = setup({}, { capacityBytes: 1000, availableBytes: 0 });
    runtime.add('a', 10);
    gc.start();
    await flush();
    assert.deepEqual(events.map((e) => e.reason), ['FreeDiskSpaceFailed'], 'at once; all images still too young');
    await clock.step(5 * MIN - 1);
    assert.equal(events.length, 1, 'nothing before the period');
    await clock.step(1);
    await flush();
    assert.deepEqual(events.map((e) => e.reason), ['FreeDiskSpaceFailed', 'FreeDiskSpaceFailed', 'ImageGCFailed']);
    assert.equal(events[2]?.message, events[1]?.message);
    assert.deepEqual(runtime.removed, ['a'], 'removed once old enough, still short of the target');
    await gc.stop();
    await clock.step(10 * MIN);
    assert.equal(events.length, 3);
  });

  it('a high threshold of 100 disables image GC', async () => {
    const { gc, clock, fsReads } = setup({ highThresholdPercent: 100 }, { capacityBytes: 1000, availableBytes: 0 });
    gc.start();
    await clock.step(10 * MIN);
    assert.equal(fsReads(), 0);
    assert.equal(clock.pending(), 0);
  });

  it('removes images unused for longer than the maximum age, once GC has run that long, whatever the usage', async () => {
    const { gc, runtime, clock } = setup({ maxAgeMs: 10 * MIN });
    runtime.add('a', 10);
    runtime.add('b', 10);
    runtime.add('pause', 10, { pinned: true });
    runtime.use('cb', 'x', 'b');
    const began = clock.now();
    await gc.garbageCollect(began);
    await clock.step(10 * MIN);
    await gc.garbageCollect(began);
    assert.deepEqual(runtime.removed, [], 'not before the maximum age has passed since GC began');
    await clock.step(1);
    await gc.garbageCollect(began);
    assert.deepEqual(runtime.removed, ['a']);
    runtime.containers = [];
    await gc.garbageCollect(began); // b used just before: kept
    await clock.step(10 * MIN + 1);
    await gc.garbageCollect(began);
    assert.deepEqual(runtime.removed, ['a', 'b']);
  });

  it('when images take no disk (the process runtime), usage thresholds are not checked', async () => {
    const { gc, runtime, events, fsReads } = setup({ minAgeMs: 0 }, { capacityBytes: 1000, availableBytes: 0 }, false);
    runtime.add('a', 0);
    await gc.garbageCollect(0);
    assert.deepEqual(runtime.removed, []);
    assert.deepEqual(events, []);
    assert.equal(fsReads(), 0);
  });
});

describe('readImageFsStats', () => {
  it('measures the mountpoint the runtime names', async () => {
    const runtime = new FakeImages();
    const seen: string[] = [];
    const stats = await readImageFsStats(runtime, async (path) => {
      seen.push(path);
      return { capacityBytes: 1000, availableBytes: 250 };
    });
    assert.deepEqual(seen, ['/var/lib/images']);
    assert.deepEqual(stats, { mountpoint: '/var/lib/images', capacityBytes: 1000, availableBytes: 250, usedBytes: 0 });
  });

  it('statfs of a real directory has a capacity', async () => {
    const runtime = { imageFsInfo: async () => [{ timestamp: 0, mountpoint: '/tmp', usedBytes: 1 }] };
    const stats = await readImageFsStats(runtime);
    assert.ok(stats.capacityBytes > 0 && stats.availableBytes <= stats.capacityBytes);
  });
});
