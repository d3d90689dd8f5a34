// `kite controller-manager`: the controllers alone, against any API server, under leader election.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { startControllerManager } from '../controllers/index.js';
import { createLogger } from '../util/log.js';
import { addControllerFlags, controllerSelection, controllerSettings, type ControllerFlags } from './controller-flags.js';
import { shutdownStep } from '../util/shutdown-steps.js';
import { untilSignal } from './signals.js';

interface ControllerManagerFlags extends ControllerFlags {
  kubeconfig: string;
  leaderElect: boolean;
  metricsPort?: number;
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
}

export function controllerManagerCommand(): Command {
  const command = new Command('controller-manager')
    .description('run the controllers against an API server')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the API server')
    .addOption(new Option('--no-leader-elect', 'run without holding the kube-system/kube-controller-manager lease'))
    .option('--metrics-port <port>', 'serve /healthz and /metrics over HTTP on 127.0.0.1:PORT', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
      return n;
    })
    .option('--cluster-signing-cert-file <file>', 'PEM CA certificate that signs approved certificate signing requests')
    .option('--cluster-signing-key-file <file>', 'PEM private key of --cluster-signing-cert-file');
  return addControllerFlags(command).action(async (flags: ControllerManagerFlags) => {
    const log = createLogger('kite-controller-manager');
    if (!flags.clusterSigningCertFile !== !flags.clusterSigningKeyFile) throw new Error('--cluster-signing-cert-file and --cluster-signing-key-file go together');
    const clusterSigning =
      flags.clusterSigningCertFile && flags.clusterSigningKeyFile
        ? { certPem: readFileSync(flags.clusterSigningCertFile, 'utf8'), keyPem: readFileSync(flags.clusterSigningKeyFile, 'utf8') }
        : undefined;
    const stopped = untilSignal();
    const manager = await startControllerManager({
      kubeconfig: flags.kubeconfig,
      logger: log,
      leaderElection: flags.leaderElect,
      controllers: controllerSelection(flags),
      settings: controllerSettings(flags),
      ...(flags.metricsPort !== undefined ? { metricsPort: flags.metricsPort } : {}),
      ...(clusterSigning ? { clusterSigning } : {}),
    });
    log.info('ready', { controllers: manager.controllers.join(','), ...(manager.metricsPort !== undefined ? { metrics: `http://127.0.0.1:${manager.metricsPort}/metrics` } : {}) });
    const signal = await stopped;
    log.info('shutting down', { signal });
    await shutdownStep('controller manager', manager.stop());
    log.info('stopped');
  });
}
