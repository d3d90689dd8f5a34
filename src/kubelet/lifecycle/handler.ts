// runLifecycleHandler: a container's postStart or preStop hook (exec, httpGet or sleep), reusing
// the prober's actions, with the kubelet's wording (pkg/kubelet/lifecycle/handlers.go): the
// message of a failed hook and the event reason (FailedPostStartHook / FailedPreStopHook). An exec
// hook fails on a non-zero exit; an httpGet hook only when the request cannot be made (its status
// code is ignored, as in Kubernetes; bounded by timeoutMs, else 10 s, where Kubernetes sets no
// bound); a sleep hook when cancelled before its time is up.

import type { LifecycleHandler } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../util/clock.js';
import { expandCommandOnlyStatic } from '../env/expansion.js';
import { HttpActionError, KUBE_VERSION, httpGet } from '../prober/http-action.js';
import { ProbeSetupError } from '../prober/port.js';
import type { ProbeTarget } from '../prober/types.js';

export type HookName = 'postStart' | 'preStop';

export const FAILED_POST_START_HOOK = 'FailedPostStartHook';
export const FAILED_PRE_STOP_HOOK = 'FailedPreStopHook';

export interface LifecycleOptions {
  hook: HookName;
  clock: Clock;
  /** Bounds an exec hook (ms; 0: none — the kubelet's postStart has none, preStop is bounded by the grace period). */
  timeoutMs?: number;
  /** Ends a running sleep hook early (the grace period ran out). */
  signal?: AbortSignal;
}

export type LifecycleResult = { ok: true } | { ok: false; reason: typeof FAILED_POST_START_HOOK | typeof FAILED_PRE_STOP_HOOK; message: string };

/** format.Pod: name_namespace(uid). */
function formatPod(t: ProbeTarget): string {
  const m = t.pod.metadata ?? {};
  return `${m.name ?? ''}_${m.namespace ?? ''}(${m.uid ?? ''})`;
}

/** Go's %v of a []string. */
function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

function sleepFor(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      timer.cancel();
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function run(handler: LifecycleHandler, target: ProbeTarget, options: LifecycleOptions): Promise<string | undefined> {
  const where = `for Container ${JSON.stringify(target.container.name)} in Pod ${JSON.stringify(formatPod(target))}`;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    const cmd = expandCommandOnlyStatic(command, target.container.env);
    let error: string | undefined;
    let output = '';
    try {
      const r = await target.runtime.execSync(target.containerId, cmd, options.timeoutMs ?? 0);
      output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
      if (r.exitCode !== 0) error = `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr.toString('utf8')}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (error === undefined) return undefined;
    return `Exec lifecycle hook (${goList(command)}) ${where} failed - error: ${error}, message: ${JSON.stringify(output)}`;
  }
  if (handler.httpGet) {
    try {
      await httpGet(handler.httpGet, target, options.timeoutMs || 10_000, `kube-lifecycle/${KUBE_VERSION}`);
      return undefined;
    } catch (err) {
      if (!(err instanceof HttpActionError || err instanceof ProbeSetupError)) throw err;
      return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${err.message}`;
    }
  }
  if (handler.sleep) {
    const done = await sleepFor(options.clock, handler.sleep.seconds * 1000, options.signal);
    if (done) return undefined;
    return `Sleep lifecycle hook (${handler.sleep.seconds}) ${where} failed - error: container terminated before sleep hook finished`;
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}

/** Runs the hook; never rejects: a failure comes back with the event reason and message. */
export async function runLifecycleHandler(handler: LifecycleHandler, target: ProbeTarget, options: LifecycleOptions): Promise<LifecycleResult> {
  const message = await run(handler, target, options);
  if (message === undefined) return { ok: true };
  return { ok: false, reason: options.hook === 'postStart' ? FAILED_POST_START_HOOK : FAILED_PRE_STOP_HOOK, message };
}
