// A private containerd for tests: its own network namespace (made with `ip netns add`, removed at
// the end, so the CNI bridge and pod veths never touch the host's network), its own config.toml,
// root, state, gRPC socket, runc root and CNI config (containerd-config.ts), and a locally built
// pause-like sandbox image imported before use. stop() removes every sandbox through the CRI,
// then tears down synchronously — containerd by pid, the shims it started (found by their
// -address), mounts left under its dir, the namespace, the cgroup parent, the temp dir — the same
// teardown that runs at process exit when a test dies without stopping it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createContainerdRuntime, netnsDialer } from '../../src/runtime/containerd/index.js';
import type { ContainerRuntime } from '../../src/runtime/runtime.js';
import { CNI_BIN_DIR, PAUSE_IMAGE, cniConfig, configToml } from './containerd-config.js';
import { buildBusyboxImage, importImage, type BuiltImage, type ImageSpec } from './oci-image.js';
import { waitUntil } from './wait-until.js';

export { PAUSE_IMAGE } from './containerd-config.js';

export interface ContainerdProcess {
  /** The gRPC socket path. */
  readonly address: string;
  readonly pid: number;
  /** The network namespace containerd (and the pod network) lives in. */
  readonly netns: string;
  /** Private pod subnet, e.g. "10.88.37.0/24". */
  readonly subnet: string;
  /** A directory tests may use for pod log directories. */
  readonly logRoot: string;
  /** cgroup parent under which tests should put their sandboxes (removed on stop). */
  readonly cgroupParent: string;
  readonly logFile: string;
  /** Opens a TCP connection to host:port inside containerd's network namespace (streaming URLs). */
  dial(url: URL): Promise<Duplex>;
  /** A runtime client on this containerd (streams dialled into its namespace; the namespace's
   *  loopback address stands in for the node's IP). */
  runtime(): ContainerRuntime;
  /** Builds a busybox image and imports it. */
  addImage(spec: ImageSpec): BuiltImage;
  stop(): Promise<void>;
}

const REQUIRED = [
  ['/usr/bin/containerd', 'containerd'],
  ['/usr/bin/ctr', 'containerd'],
  ['/usr/bin/containerd-shim-runc-v2', 'containerd'],
  ['/usr/sbin/runc', 'runc'],
  [`${CNI_BIN_DIR}/bridge`, 'containernetworking-plugins'],
  [`${CNI_BIN_DIR}/host-local`, 'containernetworking-plugins'],
  [`${CNI_BIN_DIR}/loopback`, 'containernetworking-plugins'],
  ['/bin/busybox', 'busybox-static'],
  ['/usr/bin/nsenter', 'util-linux'],
] as const;

/** Throws naming every program the private containerd needs and the machine lacks. */
export function checkPrerequisites(): void {
  if (REQUIRED.some(([path]) => !existsSync(path))) {
    spawnSync('bash', [join(repoRoot(), 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
  }
  const missing = REQUIRED.filter(([path]) => !existsSync(path));
  if (missing.length) {
    throw new Error(
      `containerd cannot start: missing ${missing.map(([p, pkg]) => `${p} (Debian package ${pkg})`).join(', ')}; run scripts/setup-system.sh as root`,
    );
  }
  if (process.getuid?.() !== 0) throw new Error('containerd cannot start: the tests must run as root (namespaces, mounts, cgroups)');
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    throw new Error('containerd cannot start: no memory cgroup under /sys/fs/cgroup');
  }
}

function repoRoot(): string {
  let dir = new URL('.', import.meta.url).pathname;
  while (!existsSync(join(dir, 'scripts', 'setup-system.sh'))) {
    const parent = join(dir, '..');
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
}

/** Pids of processes whose command line mentions `needle` (the shims of one containerd). */
function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Mount points at or under dir, deepest first. */
function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines.map((l) => l.split(' ')[4] ?? '').filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

interface Owned {
  child: ChildProcess;
  dir: string;
  address: string;
  netns: string;
  cgroupParent: string;
}

/** Directories of a cgroup subtree, deepest first. */
function cgroupDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const below = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupDirs(join(root, e.name)));
  return [...below, root];
}

/** Pids in the cgroup parent's subtree (the containers' processes, which outlive their shims). */
function pidsInCgroup(cgroupParent: string): number[] {
  return cgroupDirs(join('/sys/fs/cgroup/memory', cgroupParent)).flatMap((dir) =>
    readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number),
  );
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Sandbox network namespaces (cni-…, made by containerd) whose veth peers are on our bridge. */
function sandboxNetns(netns: string): string[] {
  const r = spawnSync('ip', ['-n', netns, 'netns', 'list-id'], { encoding: 'utf8' });
  return [...(r.stdout ?? '').matchAll(/iproute2 netns name: (cni-[0-9a-f-]+)/g)].map((m) => m[1]!);
}

/** Everything a test containerd leaves, removed without waiting on anything asynchronous (it
 *  also runs in an exit hook), bounded by a short synchronous retry for cgroups to empty. */
function teardownSync(owned: Owned): void {
  if (!exited(owned.child)) owned.child.kill('SIGKILL');
  // Shims outlive containerd by design, and container processes outlive their shims: end the
  // ones this containerd started.
  killAll(pidsMentioning(owned.address));
  killAll(pidsInCgroup(owned.cgroupParent));
  for (const name of sandboxNetns(owned.netns)) spawnSync('ip', ['netns', 'del', name]);
  for (const point of mountsUnder(owned.dir)) spawnSync('umount', ['-l', point]);
  spawnSync('ip', ['netns', 'del', owned.netns]);
  const controllers = existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : [];
  for (let attempt = 0; attempt < 20; attempt++) {
    let busy = false;
    for (const controller of controllers) {
      for (const dir of cgroupDirs(join('/sys/fs/cgroup', controller, owned.cgroupParent))) {
        try {
          rmdirSync(dir);
        } catch {
          busy = true; // a killed process has not finished exiting yet
        }
      }
    }
    if (!busy) break;
    spawnSync('sleep', ['0.05']);
  }
  rmSync(owned.dir, { recursive: true, force: true });
}

const live = new Set<Owned>();
let exitHookInstalled = false;

function trackForExit(owned: Owned): void {
  live.add(owned);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const o of live) teardownSync(o);
  });
}

let counter = 0;

export interface StartContainerdOptions {
  /** Bound on containerd becoming ready (default 30 s). */
  readyTimeoutMs?: number;
}

/** Starts a private containerd; fails saying what is missing when it cannot. */
export async function startContainerd(options: StartContainerdOptions = {}): Promise<ContainerdProcess> {
  checkPrerequisites();
  const n = ++counter;
  const id = `${process.pid}-${n}`;
  const dir = mkdtempSync(join(tmpdir(), 'kite-ctrd-'));
  const address = join(dir, 'containerd.sock');
  const netns = `kite-ctrd-${id}`;
  const subnet = `10.88.${((process.pid + n) % 200) + 20}.0/24`;
  const cgroupParent = `/kite-ctrd-${id}`;
  const cniConfDir = join(dir, 'cni');
  const logRoot = join(dir, 'pods');
  const logFile = join(dir, 'containerd.log');
  mkdirSync(cniConfDir);
  mkdirSync(logRoot);
  writeFileSync(join(cniConfDir, '10-kite.conflist'), cniConfig(subnet, 'kite0'));
  writeFileSync(join(dir, 'config.toml'), configToml({ dir, address, cniConfDir }));

  let child: ChildProcess;
  try {
    run('ip', ['netns', 'add', netns]);
    run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    const log = openSync(logFile, 'a');
    try {
      child = spawn('nsenter', [`--net=/run/netns/${netns}`, '/usr/bin/containerd', '--config', join(dir, 'config.toml')], {
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
  } catch (err) {
    spawnSync('ip', ['netns', 'del', netns]);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const owned: Owned = { child, dir, address, netns, cgroupParent };
  trackForExit(owned);

  const dial = netnsDialer(netns);
  const clients: ContainerRuntime[] = [];
  const makeRuntime = (): ContainerRuntime => {
    const runtime = createContainerdRuntime({ endpoint: address, streamDialer: dial, requestTimeoutMs: 60_000, nodeIPs: ['127.0.0.1'] });
    clients.push(runtime);
    return runtime;
  };

  let stopped = false;
  const instance: ContainerdProcess = {
    address,
    pid: child.pid ?? -1,
    netns,
    subnet,
    logRoot,
    cgroupParent,
    logFile,
    dial,
    runtime: makeRuntime,
    addImage(spec) {
      const image = buildBusyboxImage(spec);
      importImage(address, image);
      return image;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited(child)) {
        const runtime = makeRuntime();
        try {
          for (const sandbox of await runtime.listPodSandbox()) {
            await runtime.stopPodSandbox(sandbox.id);
            await runtime.removePodSandbox(sandbox.id);
          }
        } catch {
          // containerd may be unhealthy; teardown ends its shims regardless
        }
      }
      for (const client of clients) await client.close();
      if (!exited(child)) {
        child.kill('SIGTERM');
        await waitUntil('containerd to exit', () => exited(child), { timeoutMs: 10_000 }).catch(() => child.kill('SIGKILL'));
      }
      teardownSync(owned);
      await waitUntil('the shims of the test containerd to be gone', () => pidsMentioning(address).length === 0, { timeoutMs: 10_000 });
      live.delete(owned);
    },
  };

  try {
    await waitUntil(
      'containerd to serve the CRI',
      () => {
        if (exited(child)) return true; // reported below, without waiting out the bound
        if (!existsSync(address)) return false;
        const r = spawnSync('ctr', ['-a', address, 'plugins', 'ls'], { encoding: 'utf8', timeout: 5_000 });
        return r.status === 0 && /io\.containerd\.grpc\.v1\s+cri\s+.*\bok\b/.test(r.stdout);
      },
      { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100, describe: () => `containerd log ${logFile}:\n${logTail(logFile)}` },
    );
    if (exited(child)) {
      throw new Error(`containerd exited during start (code ${child.exitCode}, signal ${child.signalCode}); log:\n${logTail(logFile)}`);
    }
    instance.addImage({ name: PAUSE_IMAGE, entrypoint: ['/bin/sleep'], cmd: ['2147483647'] });
  } catch (err) {
    await instance.stop();
    throw err;
  }
  return instance;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
