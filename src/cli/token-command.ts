// `kite token create`: makes a bootstrap token (the Secret kube-system/bootstrap-token-<id>) with
// the admin kubeconfig and prints it; with --print-join-command, prints the whole `kite agent`
// command line instead, with the server URL and the CA hash that pins the cluster CA.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Command } from 'commander';
import { bootstrapTokenSecret, generateBootstrapToken } from '../api/bootstrap-token.js';
import { formatTime } from '../api/meta.js';
import { RestClient, loadKubeconfig, resources } from '../client/rest/index.js';
import { caCertHash } from '../kubelet/bootstrap/index.js';
import { realClock } from '../util/clock.js';
import { createLogger } from '../util/log.js';
import { defaultDataDir } from './data-dir.js';
import { duration } from './node-flags.js';

interface TokenCreateFlags {
  kubeconfig?: string;
  ttl: number;
  description?: string;
  groups?: string;
  printJoinCommand?: boolean;
  server?: string;
}

export function tokenCommand(): Command {
  const token = new Command('token').description('manage bootstrap tokens that let nodes join (`kite agent`)');
  token
    .command('create')
    .description('create a bootstrap token and print it')
    .option('--kubeconfig <file>', 'admin kubeconfig', join(defaultDataDir(), 'admin.kubeconfig'))
    .option('--ttl <duration>', 'how long the token authenticates (0: forever)', duration, 24 * 60 * 60_000)
    .option('--description <text>', 'a human-readable description stored with the token')
    .option('--groups <groups>', 'extra groups the token authenticates as (system:bootstrappers:…,…)')
    .option('--print-join-command', 'print the `kite agent` command that joins a node with this token')
    .option('--server <url>', "the API server URL for the join command (default: the kubeconfig's)")
    .action((flags: TokenCreateFlags) => createToken(flags));
  return token;
}

async function createToken(flags: TokenCreateFlags): Promise<void> {
  const config = loadKubeconfig(flags.kubeconfig);
  const client = new RestClient(config, { clock: realClock, logger: createLogger('kite-token') });
  try {
    const token = generateBootstrapToken((n) => randomBytes(n));
    const secret = bootstrapTokenSecret(token, {
      ...(flags.ttl > 0 ? { expiration: formatTime(realClock.now() + flags.ttl) } : {}),
      ...(flags.description ? { description: flags.description } : {}),
      ...(flags.groups ? { extraGroups: flags.groups.split(',').map((g) => g.trim()).filter(Boolean) } : {}),
    });
    await client.resource(resources.SECRETS).namespace(secret.metadata!.namespace!).create(secret);
    const text = `${token.id}.${token.secret}`;
    if (!flags.printJoinCommand) {
      process.stdout.write(`${text}\n`);
      return;
    }
    const ca = config.tls?.ca;
    if (ca === undefined) throw new Error(`${flags.kubeconfig}: no certificate-authority-data to compute the CA hash from`);
    process.stdout.write(`kite agent --server ${flags.server ?? config.server} --token ${text} --ca-cert-hash ${caCertHash(ca.toString())}\n`);
  } finally {
    client.close();
  }
}
