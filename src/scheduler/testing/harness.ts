// A Scheduler for unit tests: the in-tree plugins with a binder that records bindings instead of
// calling the API, a fake clock, a recorder that keeps events, and an api that keeps the PodScheduled
// conditions (with nominations) it is asked to write. `cycle()` runs one scheduling cycle and
// waits for its binding.

import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { EventRecorder } from '../../client/events/index.js';
import { FakeClock } from '../../util/clock.js';
import { silentLogger } from '../../util/log.js';
import { resolveConfiguration, type SchedulerConfiguration } from '../framework/config.js';
import type { PluginFactory, Registry } from '../framework/interfaces.js';
import type { SchedulerMetricsSink } from '../metrics.js';
import { DefaultBinder, type Binding } from '../plugins/defaultbinder/default-binder.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { Scheduler } from '../scheduler.js';

export interface HarnessOptions {
  config?: SchedulerConfiguration;
  bindFails?: (b: Binding) => boolean;
  /** Plugins to add or replace, by name. */
  plugins?: Record<string, PluginFactory>;
  pdbs?: PodDisruptionBudget[];
  metrics?: SchedulerMetricsSink;
}

export function schedulerHarness(options: HarnessOptions = {}) {
  const clock = new FakeClock();
  const bindings: Binding[] = [];
  const conditions: { pod: string; condition: PodCondition; nominatedNodeName?: string }[] = [];
  const events: { reason: string; message: string; name: string }[] = [];
  const pods = new Map<string, Pod>();
  const registry: Registry = inTreeRegistry();
  registry.set('DefaultBinder', () =>
    new DefaultBinder(async (b) => {
      if (options.bindFails?.(b)) throw new Error('binding refused');
      bindings.push(b);
    }),
  );
  for (const [k, v] of Object.entries(options.plugins ?? {})) registry.set(k, v);
  const recorder: EventRecorder = {
    event: (obj, _type, reason, message) => void events.push({ reason, message, name: ('metadata' in obj ? obj.metadata?.name : (obj as { name?: string }).name) ?? '' }),
    annotatedEvent: () => {},
  };
  const s = new Scheduler({
    profiles: resolveConfiguration(options.config),
    registry,
    clock,
    logger: silentLogger,
    random: () => 0,
    recorder,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.pdbs ? { podDisruptionBudgets: () => options.pdbs! } : {}),
    api: {
      updatePodCondition: async (pod, condition, nominatedNodeName) => void conditions.push({ pod: pod.metadata!.name!, condition, ...(nominatedNodeName ? { nominatedNodeName } : {}) }),
      getPod: (pod) => pods.get(pod.metadata!.name!),
    },
  });
  const addPod = (pod: Pod) => {
    pods.set(pod.metadata!.name!, pod);
    s.onPodAdd(pod);
  };
  const cycle = async () => {
    await s.scheduleOne();
    await s.idle();
  };
  return { s, clock, bindings, conditions, events, addPod, cycle };
}
