// runProbe: one run of a container probe — exec, httpGet, tcpSocket or grpc — with its
// timeoutSeconds (default 1), yielding Success/Failure/Unknown and the output the kubelet reports
// (HTTP: "HTTP probe failed with statuscode: 500"; a redirect to another host is a success with
// "Probe terminated redirects, Response body: …"). Unknown means the probe could not be run (bad
// port, runtime error); the probe worker discards such a result as the kubelet does.

import type { Probe } from 'kubernetes-types/core/v1.js';
import { runExec } from './exec-action.js';
import { HttpActionError, KUBE_VERSION, httpGet } from './http-action.js';
import { ProbeSetupError, resolvePort } from './port.js';
import { runTcp } from './tcp-action.js';
import type { ProbeOutcome, ProbeTarget } from './types.js';

export function probeTimeoutMs(probe: Probe): number {
  return Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
}

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = probeTimeoutMs(probe);
  try {
    if (probe.exec) return await runExec(probe.exec, target, timeoutMs);
    if (probe.httpGet) {
      try {
        const res = await httpGet(probe.httpGet, target, timeoutMs, `kube-probe/${KUBE_VERSION}`);
        if (res.statusCode >= 200 && res.statusCode < 400) {
          if (res.redirectNotFollowed) return { result: 'Success', output: `Probe terminated redirects, Response body: ${res.body}` };
          return { result: 'Success', output: res.body };
        }
        return { result: 'Failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
      } catch (err) {
        if (err instanceof HttpActionError) return { result: 'Failure', output: err.message };
        throw err;
      }
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, target.container);
      return await runTcp(probe.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    // gRPC (~25 MB of client and protos) is loaded on the first grpc probe, not by every kubelet.
    if (probe.grpc) return await (await import('./grpc-action.js')).runGrpc(target.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
    return { result: 'Unknown', output: `missing probe handler for ${target.pod.metadata?.name ?? ''}:${target.container.name}` };
  } catch (err) {
    if (err instanceof ProbeSetupError) return { result: 'Unknown', output: err.message };
    return { result: 'Unknown', output: err instanceof Error ? err.message : String(err) };
  }
}
