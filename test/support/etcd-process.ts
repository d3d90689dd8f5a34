// A real etcd server for tests and benchmarks: Debian's etcd-server binary started on free
// loopback ports (client and peer) with a temporary data dir, quiet logs captured to
// <dataDir>/etcd.log, readiness awaited on /health (bounded), and stop / kill -9 / restart on the
// same data dir and ports. Every etcd started here is killed when this process exits.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EtcdProcess {
  /** Client URL, e.g. "http://127.0.0.1:41234". */
  readonly endpoint: string;
  readonly dataDir: string;
  /** The running etcd's pid (changes on restart). */
  readonly pid: number;
  /** SIGTERM and wait for exit. Removes the data dir when the helper created it, unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL and wait for exit; the data dir stays (restart() brings etcd back on it). */
  kill9(): Promise<void>;
  /** Start again on the same data dir and ports (stopping it first if it runs); waits until ready. */
  restart(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Use this data dir (kept on stop) instead of a fresh temporary one. */
  dataDir?: string;
  /** Bound on waiting for etcd to serve (default 20 s). */
  readyTimeoutMs?: number;
  /** etcd's --max-request-bytes (default 2 MiB, so a 1.5 MiB value plus its key fits). */
  maxRequestBytes?: number;
  /** More etcd flags, e.g. ["--experimental-watch-progress-notify-interval=1s"]. */
  extraArgs?: string[];
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;
let counter = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** Walks up from this module to the repository root (the folder holding scripts/setup-system.sh). */
function setupScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scripts', 'setup-system.sh');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function findEtcd(): string | undefined {
  if (existsSync('/usr/bin/etcd')) return '/usr/bin/etcd';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'etcd'))) return join(dir, 'etcd');
  }
  return undefined;
}

let setupTried = false;

/** The etcd binary; runs scripts/setup-system.sh once when it is missing; throws naming what is missing. */
export function etcdBinary(): string {
  let binary = findEtcd();
  if (!binary && !setupTried) {
    setupTried = true;
    const script = setupScript();
    if (script) spawnSync('bash', [script], { stdio: 'inherit' });
    binary = findEtcd();
  }
  if (!binary) {
    throw new Error(
      'etcd is missing: no /usr/bin/etcd and no etcd on PATH; install Debian package etcd-server ' +
        '(run scripts/setup-system.sh as root)',
    );
  }
  return binary;
}

/** A loopback TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

class EtcdInstance implements EtcdProcess {
  private child: ChildProcess | undefined;
  readonly endpoint: string;

  constructor(
    private readonly binary: string,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    clientPort: number,
    private readonly peerPort: number,
    private readonly options: StartEtcdOptions,
    private readonly name: string,
  ) {
    this.endpoint = `http://127.0.0.1:${clientPort}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get logFile(): string {
    return join(this.dataDir, 'etcd.log');
  }

  async launch(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const args = [
      `--name=${this.name}`,
      `--data-dir=${this.dataDir}`,
      `--listen-client-urls=${this.endpoint}`,
      `--advertise-client-urls=${this.endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${this.name}=${peer}`,
      '--initial-cluster-state=new',
      `--max-request-bytes=${this.options.maxRequestBytes ?? 2 * 1024 * 1024}`,
      '--logger=zap',
      '--log-level=warn',
      '--log-outputs=stderr',
      ...(this.options.extraArgs ?? []),
    ];
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.binary, args, { stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.child = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const timeout = this.options.readyTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeout;
    let exited = false;
    child.once('exit', () => (exited = true));
    let lastError = 'not yet answering';
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`etcd exited during start (code ${child.exitCode}, signal ${child.signalCode}); log ${this.logFile}:\n${logTail(this.logFile)}`);
      }
      try {
        const res = await fetch(`${this.endpoint}/health`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { health?: string };
        if (res.ok && body.health === 'true') return;
        lastError = `health ${res.status} ${JSON.stringify(body)}`;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await delay(50);
    }
    child.kill('SIGKILL');
    await waitForExit(child);
    throw new Error(`etcd at ${this.endpoint} not ready within ${timeout} ms (${lastError}); log ${this.logFile}:\n${logTail(this.logFile)}`);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await waitForExit(child);
    this.child = undefined;
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.signal('SIGTERM');
    if (this.ownsDataDir && !options.keepData) {
      rmSync(this.dataDir, { recursive: true, force: true });
      tempDirs.delete(this.dataDir);
    }
  }

  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.signal('SIGTERM');
    await this.launch();
  }
}

/** Starts etcd on free loopback ports and waits until it serves. */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const binary = etcdBinary();
  installExitHook();
  // Ports are picked free but could be taken before etcd binds them; try a few times.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kite-etcd-'));
    if (ownsDataDir) tempDirs.add(dataDir);
    const instance = new EtcdInstance(
      binary,
      dataDir,
      ownsDataDir,
      await freePort(),
      await freePort(),
      options,
      `kite-${process.pid}-${++counter}`,
    );
    try {
      await instance.launch();
      return instance;
    } catch (err) {
      lastError = err;
      await instance.stop();
    }
  }
  throw lastError;
}
