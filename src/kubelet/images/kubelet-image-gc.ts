// How the kubelet runs its image garbage collector: an ImageGcManager over the node's runtime with
// the configured policy (the kubelet's defaults otherwise). On the process runtime images are only
// names and take no disk, so only the maximum age applies there.

import type { EventRecorder } from '../../client/events/index.js';
import { PROCESS_RUNTIME_NAME } from '../../runtime/process/process-runtime.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGcPolicy } from './gc-policy.js';
import { ImageGcManager, type ImageGcRuntime } from './image-gc.js';

export interface ImageGcSettings {
  policy?: ImageGcPolicy;
  /** How often GC runs (default 5 min). */
  periodMs?: number;
}

export interface KubeletImageGcOptions extends ImageGcSettings {
  runtime: ImageGcRuntime;
  /** The runtime's name from Version (the process runtime's images take no disk). */
  runtimeName: string;
  nodeName: string;
  recorder: Pick<EventRecorder, 'event'>;
  clock: Clock;
  logger: Logger;
}

/** The kubelet's image GC, not yet started. */
export function kubeletImageGc(o: KubeletImageGcOptions): ImageGcManager {
  return new ImageGcManager({
    runtime: o.runtime,
    policy: o.policy ?? DEFAULT_IMAGE_GC_POLICY,
    nodeName: o.nodeName,
    recorder: o.recorder,
    clock: o.clock,
    logger: o.logger,
    imagesUseDisk: o.runtimeName !== PROCESS_RUNTIME_NAME,
    ...(o.periodMs !== undefined ? { periodMs: o.periodMs } : {}),
  });
}
