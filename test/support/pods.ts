// Helpers for tests that run pods through a real kubelet: read a pod with kubectl, wait (bounded)
// for a condition on it, and tell whether a host process is still alive.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { kubectlOk } from './kubectl.js';
import { waitUntil } from './wait-until.js';

export async function getPod(kubeconfig: string, name: string): Promise<Pod> {
  return JSON.parse(await kubectlOk(kubeconfig, ['get', 'pod', name, '-o', 'json'])) as Pod;
}

/** Polls the pod until check() holds; fails with the last status seen. */
export async function waitPod(kubeconfig: string, name: string, what: string, check: (p: Pod) => boolean, timeoutMs = 20_000): Promise<Pod> {
  let last: Pod | undefined;
  await waitUntil(
    `pod ${name}: ${what}`,
    async () => {
      last = await getPod(kubeconfig, name);
      return check(last);
    },
    { timeoutMs, intervalMs: 200, describe: () => JSON.stringify(last?.status) },
  );
  return last!;
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
