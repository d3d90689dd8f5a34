// The grpc action: grpc.health.v1.Health/Check on host:port (plaintext) with the action's service
// name; SERVING is Success, anything else Failure, with the kubelet's messages for an unreachable
// server, a server without the health service and a timeout.

import * as grpc from '@grpc/grpc-js';
import { healthService, type HealthCheckRequest, type HealthCheckResponse } from './grpc-health.js';
import { joinHostPort } from './port.js';
import type { ProbeOutcome } from './types.js';

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function runGrpc(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const Health = healthService();
  const client = new Health(addr, grpc.credentials.createInsecure());
  return new Promise<ProbeOutcome>((resolve) => {
    const deadline = new Date(Date.now() + timeoutMs);
    const request: HealthCheckRequest = { service };
    const check = client.Check as (req: HealthCheckRequest, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: HealthCheckResponse) => void) => void;
    check.call(client, request, new grpc.Metadata(), { deadline }, (err, res) => {
      if (err) {
        switch (err.code) {
          case grpc.status.UNIMPLEMENTED:
            return resolve({ result: 'Failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}` });
          case grpc.status.DEADLINE_EXCEEDED:
            return resolve({ result: 'Failure', output: `timeout: health rpc did not complete within ${seconds(timeoutMs)}` });
          case grpc.status.UNAVAILABLE:
            return resolve({ result: 'Failure', output: `error: failed to connect service at ${JSON.stringify(addr)}: ${err.details}` });
          default:
            return resolve({ result: 'Failure', output: `error: health rpc probe failed: ${err.message}` });
        }
      }
      if (res?.status !== 'SERVING') return resolve({ result: 'Failure', output: `service unhealthy (responded with ${JSON.stringify(res?.status ?? 'UNKNOWN')})` });
      resolve({ result: 'Success', output: 'service healthy' });
    });
  }).finally(() => client.close());
}
