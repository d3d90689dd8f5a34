// `kite scheduler`: the scheduler alone, against any API server, under leader election.

import { Command, Option } from 'commander';
import { startScheduler } from '../scheduler/index.js';
import { createLogger } from '../util/log.js';
import { untilSignal } from './signals.js';

interface SchedulerFlags {
  kubeconfig: string;
  config?: string;
  leaderElect: boolean;
}

export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the scheduler against an API server')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the API server to schedule for')
    .option('--config <file>', 'a KubeSchedulerConfiguration (YAML or JSON): profiles, plugins, weights')
    .addOption(new Option('--no-leader-elect', 'schedule without holding the kube-system/kube-scheduler lease'))
    .action(async (flags: SchedulerFlags) => {
      const log = createLogger('kite-scheduler');
      const stopped = untilSignal();
      const scheduler = await startScheduler({
        kubeconfig: flags.kubeconfig,
        config: flags.config,
        logger: log,
        leaderElection: flags.leaderElect,
      });
      log.info('ready');
      const signal = await stopped;
      log.info('shutting down', { signal });
      await scheduler.stop();
      log.info('stopped');
    });
}
