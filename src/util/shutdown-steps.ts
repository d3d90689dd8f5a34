// Named shutdown steps. A stop() awaits its parts through shutdownStep(), which keeps the names of
// those still pending. A process whose stop never finishes although nothing is left to wait for
// ends with Node's exit code 13 (an unsettled top-level await) and no word of why:
// reportUnsettledShutdown() makes it print the steps that were still pending.

const pending: string[] = [];

/** Awaits `work` as the step `name`, listed as pending until it settles. */
export async function shutdownStep<T>(name: string, work: Promise<T> | T): Promise<T> {
  pending.push(name);
  try {
    return await work;
  } finally {
    pending.splice(pending.lastIndexOf(name), 1);
  }
}

/** The steps still pending, in the order they began (a nested step begins before the step whose
 *  work it is part of, as `shutdownStep('agent', agent.stop())` evaluates agent.stop() first). */
export function pendingShutdownSteps(): string[] {
  return [...pending];
}

/** Node's exit code for a top-level await whose promise can never settle. */
export const UNSETTLED_TOP_LEVEL_AWAIT = 13;

/** On an exit with code 13, writes the pending steps (to stderr by default). */
export function reportUnsettledShutdown(write: (line: string) => void = (line) => process.stderr.write(line + '\n')): void {
  process.once('exit', (code) => {
    // Node 20 emits 'exit' with 0 here and carries the 13 in process.exitCode
    if (code !== UNSETTLED_TOP_LEVEL_AWAIT && process.exitCode !== UNSETTLED_TOP_LEVEL_AWAIT) return;
    const steps = pendingShutdownSteps();
    write(`kite: exiting with nothing left to wait for while ${steps.length > 0 ? `shutdown steps never finished: ${steps.join(', ')}` : 'an await never settled (no shutdown step pending)'}`);
  });
}
