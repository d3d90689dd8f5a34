// Runs a component's work only while it leads (what kube-scheduler and kube-controller-manager do
// with --leader-elect): a LeaderElector on a Lease in kube-system, whose onStartedLeading runs the
// work with a signal that aborts when leadership is lost or the component stops. Without leader
// election the work simply runs until stopped.

import { hostname } from 'node:os';
import { messageOf } from '../../api/status.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { EventRecorder } from '../events/recorder.js';
import type { RestClient } from '../rest/rest-client.js';
import { LeaderElector } from './leader-elector.js';
import { LeaseLock } from './lease-lock.js';
import { restLeaseApi } from './rest-lease-api.js';

export interface LeaderElectionOptions {
  /** Default kube-system. */
  namespace?: string;
  /** Default: the component's lease name. */
  name?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ElectedOptions {
  /** The component's name: the default lease name and the elector's name in logs. */
  component: string;
  client: RestClient;
  /** false/undefined: no election, run at once. */
  leaderElection?: boolean | LeaderElectionOptions;
  /** The work while leading; must return once `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  clock: Clock;
  logger: Logger;
  recorder?: Pick<EventRecorder, 'event'>;
  random?: () => number;
}

export interface ElectedComponent {
  /** True while the work runs (leading, or no leader election). */
  isLeading(): boolean;
  /** Stops the work, releases the lease, and resolves once everything has ended. */
  stop(): Promise<void>;
}

export function runElected(options: ElectedOptions): ElectedComponent {
  const { logger } = options;
  const stopAll = new AbortController();
  let leading = false;
  const runWork = async (signal: AbortSignal) => {
    leading = true;
    try {
      await options.run(signal);
    } finally {
      leading = false;
    }
  };
  let done: Promise<void>;
  if (options.leaderElection) {
    const le = options.leaderElection === true ? {} : options.leaderElection;
    const identity = le.identity ?? `${hostname()}_${Math.floor((options.random ?? Math.random)() * 1e12).toString(16)}`;
    const elector = new LeaderElector({
      lock: new LeaseLock({
        namespace: le.namespace ?? 'kube-system',
        name: le.name ?? options.component,
        identity,
        client: restLeaseApi(options.client),
        ...(options.recorder ? { eventRecorder: options.recorder } : {}),
      }),
      ...(le.leaseDurationMs !== undefined ? { leaseDurationMs: le.leaseDurationMs } : {}),
      ...(le.renewDeadlineMs !== undefined ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
      ...(le.retryPeriodMs !== undefined ? { retryPeriodMs: le.retryPeriodMs } : {}),
      releaseOnCancel: true,
      name: options.component,
      clock: options.clock,
      logger: logger.child('leaderelection'),
      callbacks: {
        onStartedLeading: (signal) => runWork(signal),
        onStoppedLeading: () => logger.info('stopped leading'),
      },
    });
    done = elector.run(stopAll.signal);
  } else {
    done = runWork(stopAll.signal);
  }
  done.catch((err: unknown) => logger.error(`${options.component} failed`, { error: messageOf(err) }));
  let stopping: Promise<void> | undefined;
  return {
    isLeading: () => leading,
    stop() {
      stopping ??= (async () => {
        stopAll.abort();
        await done.catch(() => {});
      })();
      return stopping;
    },
  };
}
