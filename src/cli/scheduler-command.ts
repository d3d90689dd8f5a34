// `kite scheduler`: the scheduler alone, against any API server, under leader election.

import { Command, InvalidArgumentError, Option } from 'commander';
import { startScheduler } from '../scheduler/index.js';
import { createLogger } from '../util/log.js';
import { shutdownStep } from '../util/shutdown-steps.js';
import { untilSignal } from './signals.js';

interface SchedulerFlags {
  kubeconfig: string;
  config?: string;
  leaderElect: boolean;
  metricsPort?: number;
}

export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the scheduler against an API server')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the API server to schedule for')
    .option('--config <file>', 'a KubeSchedulerConfiguration (YAML or JSON): profiles, plugins, weights')
    .addOption(new Option('--no-leader-elect', 'schedule without holding the kube-system/kube-scheduler lease'))
    .option('--metrics-port <port>', 'serve /healthz and /metrics over HTTP on 127.0.0.1:PORT', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
      return n;
    })
    .action(async (flags: SchedulerFlags) => {
      const log = createLogger('kite-scheduler');
      const stopped = untilSignal();
      const scheduler = await startScheduler({
        kubeconfig: flags.kubeconfig,
        config: flags.config,
        logger: log,
        leaderElection: flags.leaderElect,
        ...(flags.metricsPort !== undefined ? { metricsPort: flags.metricsPort } : {}),
      });
      log.info('ready', scheduler.metricsPort !== undefined ? { metrics: `http://127.0.0.1:${scheduler.metricsPort}/metrics` } : {});
      const signal = await stopped;
      log.info('shutting down', { signal });
      await shutdownStep('scheduler', scheduler.stop());
      log.info('stopped');
    });
}
