// The tcpSocket action: a TCP connection to host:port within the timeout is Success (output
// empty); a refused or timed-out dial is Failure with Go's dialer wording.

import { connect } from 'node:net';
import { joinHostPort } from './port.js';
import type { ProbeOutcome } from './types.js';

/** Go's wording for a dial error ("dial tcp 10.0.0.1:80: connect: connection refused"). */
export function dialErrorMessage(addr: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  const why: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    ETIMEDOUT: 'i/o timeout',
    EHOSTUNREACH: 'connect: no route to host',
    ENETUNREACH: 'connect: network is unreachable',
    ECONNRESET: 'connect: connection reset by peer',
  };
  return `dial tcp ${addr}: ${(code && why[code]) ?? (err instanceof Error ? err.message : String(err))}`;
}

export function runTcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ result: 'Failure', output: dialErrorMessage(addr, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })) }));
    socket.once('connect', () => done({ result: 'Success', output: '' }));
    socket.once('error', (err) => done({ result: 'Failure', output: dialErrorMessage(addr, err) }));
  });
}
