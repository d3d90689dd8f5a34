// Queueing hints (kube-scheduler 1.32's isPodWorthRequeuing): a cluster event moves a parked pod
// only if one of the plugins that rejected it registered that event (EnqueueExtensions) and the
// registration's hint, if any, says Queue. A pod rejected by no plugin in particular, or by a
// plugin registering nothing, moves on every event, as before hints.

import type { Framework } from './framework/framework.js';
import { implementsMethod, type EnqueueExtensions, type Plugin } from './framework/interfaces.js';
import type { ClusterEventName, QueuedPodInfo } from './queue/scheduling-queue.js';

export function worthRequeuing(
  frameworkOf: (info: QueuedPodInfo) => Framework | undefined,
  event: ClusterEventName,
  oldObj: unknown,
  newObj: unknown,
): (info: QueuedPodInfo) => boolean {
  return (info) => {
    if (info.unschedulablePlugins.size === 0) return true;
    const fwk = frameworkOf(info);
    if (!fwk) return true;
    for (const name of info.unschedulablePlugins) {
      const plugin = fwk.plugins.get(name);
      if (!plugin || !implementsMethod<EnqueueExtensions & Plugin>(plugin, 'eventsToRegister')) return true;
      for (const r of plugin.eventsToRegister()) {
        if (r.event !== event) continue;
        if (!r.hint) return true;
        try {
          if (r.hint(info.pod, oldObj, newObj) === 'Queue') return true;
        } catch {
          return true; // a failing hint queues, as kube does
        }
      }
    }
    return false;
  };
}
