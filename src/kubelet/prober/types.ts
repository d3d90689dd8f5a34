// The prober's vocabulary: what a probe is run against (ProbeTarget), what one run yields
// (ProbeOutcome: Success, Failure, or Unknown when the probe could not be run at all), the three
// probe kinds, and the kubelet's event wording for a failed probe.

import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { RuntimeService } from '../../runtime/runtime.js';

export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  /** What the kubelet reports: the failure message, or the probe's output on success. */
  output: string;
}

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

/** The container a probe or lifecycle handler acts on. */
export interface ProbeTarget {
  pod: Pod;
  container: Container;
  /** The runtime's id of the running container (exec actions). */
  containerId: string;
  /** The pod's primary IP: the default host of httpGet, tcpSocket and grpc actions. */
  podIP: string;
  runtime: Pick<RuntimeService, 'execSync'>;
}

const TITLE: Record<ProbeKind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

/** The kubelet's Unhealthy event message, e.g. "Liveness probe failed: HTTP probe failed with statuscode: 500". */
export function probeFailureMessage(kind: ProbeKind, outcome: ProbeOutcome): string {
  return outcome.result === 'Unknown' ? `${TITLE[kind]} probe errored: ${outcome.output}` : `${TITLE[kind]} probe failed: ${outcome.output}`;
}

/** Probe and handler outputs are cut at 10 KiB, as the kubelet's readers are. */
export const MAX_OUTPUT_BYTES = 10 * 1024;

export function truncateOutput(buf: Buffer): string {
  return buf.subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}
