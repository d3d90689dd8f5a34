// `kite server`: the control-plane process. Today it opens the cluster state store (embedded
// SQLite by default, or etcd), runs periodic compaction and exits cleanly on SIGTERM/SIGINT; the
// API server, scheduler and controllers are wired in here as they are built.

import { Command, InvalidArgumentError, Option } from 'commander';
import { Compactor } from '../storage/compactor.js';
import { openBackend, type StorageConfig } from '../storage/open.js';
import { ObjectStore } from '../storage/store.js';
import { realClock } from '../util/clock.js';
import { parseDuration } from '../util/duration.js';
import { createLogger } from '../util/log.js';
import { defaultDataDir, prepareDataDir } from './data-dir.js';

interface ServerFlags {
  dataDir: string;
  port: number;
  bindAddress: string;
  store: 'sqlite' | 'etcd';
  etcdServers?: string;
  sqliteSync: 'full' | 'normal' | 'off';
  compactionInterval: number;
}

const port = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer 0-65535');
  return n;
};
const duration = (text: string): number => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export function serverCommand(): Command {
  return new Command('server')
    .description('run the control plane (cluster state store; API server and the rest as they land)')
    .option('--data-dir <dir>', 'where the server keeps its state', defaultDataDir())
    .option('--port <port>', 'HTTPS port of the API server', port, 6443)
    .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
    .addOption(new Option('--store <kind>', 'cluster state store').choices(['sqlite', 'etcd']).default('sqlite'))
    .option('--etcd-servers <urls>', 'comma-separated etcd client URLs (with --store etcd)')
    .addOption(
      new Option('--sqlite-sync <mode>', "SQLite synchronous setting: full survives power loss, normal a process kill")
        .choices(['full', 'normal', 'off'])
        .default('full'),
    )
    .option('--compaction-interval <duration>', 'how often old revisions are compacted (0 disables)', duration, 300_000)
    .action((flags: ServerFlags) => runServer(flags));
}

async function runServer(flags: ServerFlags): Promise<void> {
  const log = createLogger('kite-server');
  const dirs = prepareDataDir(flags.dataDir);
  const config = storageConfig(flags, dirs.database);
  const backend = await openBackend(config);
  const store = new ObjectStore(backend);
  const compactor =
    flags.compactionInterval > 0
      ? new Compactor(backend, {
          clock: realClock,
          intervalMs: flags.compactionInterval,
          onError: (err) => log.warn('compaction failed', { error: err }),
          onCompacted: (revision) => log.debug('compacted', { revision }),
        }).start()
      : undefined;
  log.info('cluster state store open', {
    store: config.kind,
    location: config.kind === 'sqlite' ? config.path : config.endpoints.join(','),
    revision: await backend.currentRevision(),
    dataDir: dirs.root,
  });
  // Signal handlers go in before "ready" is announced: a signal right after it must not kill us.
  const stopped = new Promise<void>((resolve) => {
    // Nothing listens on a socket yet, so hold the event loop open until a signal arrives.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const shutdown = (signal: string) => {
      log.info('shutting down', { signal });
      clearInterval(keepAlive);
      resolve();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  log.info('ready');
  await stopped;
  compactor?.stop();
  await compactor?.idle();
  await store.close();
  log.info('stopped');
}

function storageConfig(flags: ServerFlags, databasePath: string): StorageConfig {
  if (flags.store === 'sqlite') {
    if (flags.etcdServers) throw new Error('--etcd-servers needs --store etcd');
    return { kind: 'sqlite', path: databasePath, synchronous: flags.sqliteSync };
  }
  const endpoints = (flags.etcdServers ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (endpoints.length === 0) throw new Error('--store etcd needs --etcd-servers URL[,URL…]');
  return { kind: 'etcd', endpoints };
}
