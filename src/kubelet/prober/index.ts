// The kubelet's prober: runProbe (one run of an exec/httpGet/tcpSocket/grpc probe) and the
// ProbeManager that runs startup, liveness and readiness workers per container.

export { runProbe, probeTimeoutMs } from './run-probe.js';
export { ProbeManager, type ProbeManagerOptions, type ProbeResultListener, type StartedContainer, type ContainerRunState } from './manager.js';
export { probeFailureMessage, type ProbeKind, type ProbeOutcome, type ProbeResult, type ProbeTarget } from './types.js';
export type { RecordedResult } from './worker.js';
export { runExec } from './exec-action.js';
export { httpGet, actionUrl, HttpActionError, type HttpResponse } from './http-action.js';
export { runTcp } from './tcp-action.js';
