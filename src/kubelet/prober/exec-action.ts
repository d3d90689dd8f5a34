// The exec action of probes and lifecycle hooks: the command (with the container's literal env
// values expanded) run in the container through the runtime's execSync with the timeout; exit 0 is
// Success, any other exit Failure with the combined output, a timeout Failure with
// `command "…" timed out`, and a runtime error Unknown.

import type { ExecAction } from 'kubernetes-types/core/v1.js';
import { expandCommandOnlyStatic } from '../env/expansion.js';
import { truncateOutput, type ProbeOutcome, type ProbeTarget } from './types.js';

function isTimeout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return err.name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed? ?out|deadline exceeded/i.test(err.message);
}

export async function runExec(action: ExecAction, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const cmd = expandCommandOnlyStatic(action.command ?? [], target.container.env);
  try {
    const r = await target.runtime.execSync(target.containerId, cmd, timeoutMs);
    const output = truncateOutput(Buffer.concat([r.stdout, r.stderr]));
    return { result: r.exitCode === 0 ? 'Success' : 'Failure', output };
  } catch (err) {
    if (isTimeout(err)) return { result: 'Failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    return { result: 'Unknown', output: err instanceof Error ? err.message : String(err) };
  }
}
