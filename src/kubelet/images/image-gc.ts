// The kubelet's image garbage collector (Kubernetes' realImageGCManager and the image half of
// StartGarbageCollection): every period (5 min) it detects the runtime's images and which are in
// use, removes unused images not used for longer than the maximum age (when set, and only once
// the collector has run that long), and when the image filesystem's usage is at or above the high
// threshold removes unused, unpinned images old enough (minimum age), least recently used first,
// until usage would be down to the low threshold. Failures are the kubelet's Node events
// (FreeDiskSpaceFailed, InvalidDiskCapacity, and ImageGCFailed once GC failed twice in a row).
// A high threshold of 100 turns it off. Time comes from the injected clock.

import type { EventRecorder } from '../../client/events/index.js';
import type { ContainerRuntime } from '../../runtime/runtime.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { goDuration } from '../backoff.js';
import { IMAGE_GC_PERIOD_MS, type ImageGcPolicy } from './gc-policy.js';
import { readImageFsStats, type ImageFsStats } from './image-fs.js';
import { ImageRecords, imageKeysInUse, type ImageRecord } from './image-records.js';

export type ImageGcRuntime = Pick<ContainerRuntime, 'listImages' | 'removeImage' | 'imageFsInfo' | 'listContainers'>;

export interface ImageGcOptions {
  runtime: ImageGcRuntime;
  policy: ImageGcPolicy;
  /** The Node the events are about. */
  nodeName: string;
  recorder: Pick<EventRecorder, 'event'>;
  clock: Clock;
  logger: Logger;
  /** How often GC runs (default 5 min, the kubelet's ImageGCPeriod). */
  periodMs?: number;
  /** The image filesystem's capacity and free space (default: the runtime's ImageFsInfo, then statfs). */
  fsStats?: () => Promise<ImageFsStats>;
  /** False when the runtime's images take no disk (the process runtime's are names): freeing them
   *  cannot lower usage, so the usage thresholds are not checked (the maximum age still applies). */
  imagesUseDisk?: boolean;
}

export const FREE_DISK_SPACE_FAILED = 'FreeDiskSpaceFailed';
export const IMAGE_GC_FAILED = 'ImageGCFailed';
export const INVALID_DISK_CAPACITY = 'InvalidDiskCapacity';

/** Go's errors.NewAggregate message: one error's message, or "[a, b]". */
function aggregate(errors: Error[]): string {
  return errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
}

export class ImageGcManager {
  private readonly records = new ImageRecords();
  private readonly periodMs: number;
  private readonly fsStats: () => Promise<ImageFsStats>;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private prevFailed = false;
  private beganGc = 0;

  constructor(private readonly o: ImageGcOptions) {
    this.periodMs = o.periodMs ?? IMAGE_GC_PERIOD_MS;
    this.fsStats = o.fsStats ?? (() => readImageFsStats(o.runtime));
  }

  /** Runs GC now and every period, as wait.Until does; a high threshold of 100 disables it. */
  start(): void {
    if (this.timer) return;
    if (this.o.policy.highThresholdPercent >= 100) {
      this.o.logger.info('image GC disabled: the high threshold is 100%');
      return;
    }
    this.beganGc = this.o.clock.now();
    this.timer = this.o.clock.setInterval(() => void this.tick(), this.periodMs);
    void this.tick();
  }

  /** Stops the loop and waits for a run in flight. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  /** One periodic run: GC, with the kubelet's logging and its event for repeated failures. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.garbageCollect(this.beganGc);
        if (this.prevFailed) this.o.logger.info('image garbage collection succeeded');
        this.prevFailed = false;
      } catch (err) {
        const message = (err as Error).message;
        if (this.prevFailed) {
          this.o.logger.error('image garbage collection failed multiple times in a row', { error: message });
          this.o.recorder.event(this.nodeRef(), 'Warning', IMAGE_GC_FAILED, message);
        } else {
          this.o.logger.warn('image garbage collection failed once', { error: message });
        }
        this.prevFailed = true;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The kubelet's GarbageCollect: maximum-age GC, then GC by usage thresholds. Throws on failure. */
  async garbageCollect(beganGc: number): Promise<void> {
    const freeTime = this.o.clock.now();
    let images = await this.imagesInEvictionOrder(freeTime);
    images = await this.freeOldImages(images, freeTime, beganGc);
    if (this.o.imagesUseDisk === false) return;

    const fs = await this.fsStats();
    const capacity = BigInt(Math.max(0, Math.floor(fs.capacityBytes)));
    let available = BigInt(Math.max(0, Math.floor(fs.availableBytes)));
    if (available > capacity) {
      this.o.logger.info('image filesystem availability is larger than its capacity', { available: fs.availableBytes, capacity: fs.capacityBytes });
      available = capacity;
    }
    if (capacity === 0n) {
      const message = 'invalid capacity 0 on image filesystem';
      this.o.recorder.event(this.nodeRef(), 'Warning', INVALID_DISK_CAPACITY, message);
      throw new Error(message);
    }
    const usagePercent = 100 - Number((available * 100n) / capacity);
    const { highThresholdPercent: high, lowThresholdPercent: low } = this.o.policy;
    if (usagePercent < high) return;
    const amountToFree = Number((capacity * BigInt(100 - low)) / 100n - available);
    this.o.logger.info('image filesystem usage is over the high threshold, freeing down to the low threshold', {
      mountpoint: fs.mountpoint,
      usage: usagePercent,
      highThreshold: high,
      lowThreshold: low,
      amountToFree,
    });
    const freed = await this.freeSpace(amountToFree, freeTime, images);
    if (freed < amountToFree) {
      const message = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.o.recorder.event(this.nodeRef(), 'Warning', FREE_DISK_SPACE_FAILED, message);
      throw new Error(message);
    }
  }

  /** Removes every unused, unpinned image old enough (the kubelet's DeleteUnusedImages, which its
   *  eviction manager calls under image filesystem pressure); returns the bytes freed. */
  async deleteUnusedImages(): Promise<number> {
    const freeTime = this.o.clock.now();
    return this.freeSpace(Number.POSITIVE_INFINITY, freeTime, await this.imagesInEvictionOrder(freeTime));
  }

  /** The record of an image, for tests and diagnostics. */
  record(id: string): ImageRecord | undefined {
    return this.records.get(id);
  }

  private async imagesInEvictionOrder(now: number): Promise<ImageRecord[]> {
    const [images, containers] = await Promise.all([this.o.runtime.listImages(), this.o.runtime.listContainers()]);
    const inUse = this.records.detect(images, imageKeysInUse(containers), now);
    return this.records.evictionOrder(inUse);
  }

  /** Removes images unused for longer than the maximum age, once GC has run that long. */
  private async freeOldImages(images: ImageRecord[], freeTime: number, beganGc: number): Promise<ImageRecord[]> {
    const maxAge = this.o.policy.maxAgeMs;
    if (maxAge === 0 || freeTime - beganGc <= maxAge) return images;
    const remaining: ImageRecord[] = [];
    const errors: Error[] = [];
    for (const image of images) {
      if (freeTime - image.lastUsed > maxAge) {
        try {
          await this.freeImage(image, 'age');
          continue;
        } catch (err) {
          errors.push(err as Error);
        }
      }
      remaining.push(image);
    }
    if (errors.length > 0) {
      throw new Error(`wanted to free images older than ${goDuration(maxAge)}, encountered errors in image deletion: ${aggregate(errors)}`);
    }
    return remaining;
  }

  /** Removes images in order until bytesToFree are freed; returns the bytes freed. */
  private async freeSpace(bytesToFree: number, freeTime: number, images: ImageRecord[]): Promise<number> {
    let freed = 0;
    const errors: Error[] = [];
    for (const image of images) {
      if (image.lastUsed >= freeTime) continue; // used just now
      if (freeTime - image.firstDetected < this.o.policy.minAgeMs) continue; // maybe just pulled, about to be used
      try {
        await this.freeImage(image, 'space');
      } catch (err) {
        errors.push(err as Error);
        continue;
      }
      freed += image.sizeBytes;
      if (freed >= bytesToFree) break;
    }
    if (errors.length > 0) {
      throw new Error(`wanted to free ${bytesToFree} bytes, but freed ${freed} bytes space with errors in image deletion: ${aggregate(errors)}`);
    }
    return freed;
  }

  private async freeImage(image: ImageRecord, reason: 'age' | 'space'): Promise<void> {
    this.o.logger.info('removing image to free bytes', { image: image.name, id: image.id, size: image.sizeBytes, reason });
    await this.o.runtime.removeImage(image.id);
    this.records.forget(image.id);
  }

  private nodeRef(): { kind: string; name: string; uid: string } {
    // the kubelet's nodeRef: the node's name stands in for its uid
    return { kind: 'Node', name: this.o.nodeName, uid: this.o.nodeName };
  }
}
