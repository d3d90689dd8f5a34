// Stopping a pod's containers (the kubelet's killPod): run preStop hooks of running containers,
// then stop every container with what is left of the grace period (at least 2 s after hooks, as
// the kubelet allows), then stop the sandbox and — when the pod is going away — remove it and
// unmount its volumes. Works from runtime state alone, so orphans with no pod object go the same way.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { LABEL_CONTAINER_NAME, podLogDirName } from './labels.js';
import { runningContainers, type RuntimePod } from './runtime-pod.js';
import type { PodHelpers } from './seams.js';

export interface KillPodDeps {
  runtime: ContainerRuntime;
  helpers: PodHelpers;
  clock: Clock;
  logger: Logger;
  /** The pods' log root; a removed pod's log directory goes with it. */
  logRoot: string;
}

const MIN_GRACE_AFTER_HOOKS_S = 2;

/** The grace period of a deletion: deletionGracePeriodSeconds, else terminationGracePeriodSeconds, else 30. */
export function gracePeriodSeconds(pod: Pod | undefined): number {
  const g = pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, g);
}

export async function killPod(d: KillPodDeps, state: RuntimePod, options: { pod?: Pod; graceSeconds: number; remove: boolean }): Promise<void> {
  const running = runningContainers(state);
  const started = d.clock.now();
  const pod = options.pod;
  if (pod && options.graceSeconds > 0) {
    const specs = pod.spec?.containers ?? [];
    await Promise.all(
      running.map(async (c) => {
        const spec = specs.find((s) => s.name === (c.labels[LABEL_CONTAINER_NAME] ?? c.metadata.name));
        if (!spec?.lifecycle?.preStop || c.state !== 'running') return;
        try {
          await d.helpers.runPreStop(pod, spec, c.id, options.graceSeconds * 1000);
        } catch (err) {
          d.logger.warn('preStop hook failed', { container: spec.name, error: err as Error });
        }
      }),
    );
  }
  // what the hooks took comes off the grace period, leaving at least 2 s
  const spent = Math.floor((d.clock.now() - started) / 1000);
  const timeout = spent > 0 && options.graceSeconds > 0 ? Math.max(MIN_GRACE_AFTER_HOOKS_S, options.graceSeconds - spent) : options.graceSeconds;
  await Promise.all(
    running.map((c) =>
      d.runtime.stopContainer(c.id, timeout).catch((err: unknown) => d.logger.warn('failed to stop container', { id: c.id, error: err as Error })),
    ),
  );
  for (const sb of state.sandboxes) {
    await d.runtime.stopPodSandbox(sb.id);
    if (!options.remove) continue;
    await d.runtime.removePodSandbox(sb.id);
    rmSync(join(d.logRoot, podLogDirName(sb.metadata)), { recursive: true, force: true });
  }
  if (options.remove) {
    // containers of a sandbox already gone
    for (const c of state.containers) await d.runtime.removeContainer(c.id).catch(() => undefined);
    await d.helpers.unmountPod(state.uid);
    d.helpers.removeProbes(state.uid);
  }
}
