// The kubelet's pod source (its "apiserver" config source): a shared informer on the pods bound to
// this node (fieldSelector spec.nodeName=<node>), feeding adds and updates and deletes to the
// kubelet. On reconnect the informer relists, and the kubelet resyncs against runtime state.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { SharedInformerFactory, isTombstone, objectOf } from '../client/informer/index.js';
import type { ResourceSource } from '../client/informer/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { POD_RESOURCE } from './kubelet-api.js';

export interface PodHandlers {
  podUpdated(pod: Pod): void;
  podDeleted(pod: Pod): void;
}

export interface PodSource {
  /** Resolves once the initial list has been delivered (false if stopped first). */
  synced: Promise<boolean>;
  stop(): Promise<void>;
}

export function startPodSource(client: ResourceSource, nodeName: string, handlers: PodHandlers, clock: Clock, logger: Logger): PodSource {
  const factory = new SharedInformerFactory(client, { clock, logger, fieldSelector: `spec.nodeName=${nodeName}` });
  const pods = factory.forResource<Pod>(POD_RESOURCE);
  pods.addEventHandler({
    onAdd: (p) => handlers.podUpdated(p),
    onUpdate: (_old, p) => handlers.podUpdated(p),
    onDelete: (p) => handlers.podDeleted(isTombstone(p) ? objectOf(p) : p),
  });
  factory.start();
  const stopper = new AbortController();
  const synced = factory.waitForCacheSync({ signal: stopper.signal }).then((r) => [...r.values()].every(Boolean));
  return {
    synced,
    async stop() {
      stopper.abort();
      await factory.shutdown();
    },
  };
}
