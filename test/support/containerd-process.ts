// A private containerd for tests: its own network namespace (made with `ip netns add`, removed at
// the end, so the CNI bridge and pod veths never touch the host's network), its own config.toml,
// root, state, gRPC socket, runc root and CNI config (bridge + host-local IPAM on a private
// /24), the overlayfs snapshotter, runc with the cgroupfs driver, and a locally built pause-like
// sandbox image imported before use. stop() removes every sandbox through the CRI, stops
// containerd by pid, ends the shims it started (found by their -address), unmounts what is left
// under its dirs, removes the namespace, the cgroup parent and the temp dir.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { createContainerdRuntime } from '../../src/runtime/containerd/index.js';
import type { ContainerRuntime } from '../../src/runtime/runtime.js';
import { buildBusyboxImage, importImage, type BuiltImage, type ImageSpec } from './oci-image.js';
import { waitUntil } from './wait-until.js';

export const PAUSE_IMAGE = 'kite.local/pause:1';
export const CNI_BIN_DIR = '/usr/lib/cni';

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
  ['/usr/sbin/runc', 'runc'],
  ['/usr/bin/containerd-shim-runc-v2', 'containerd'],
  [`${CNI_BIN_DIR}/bridge`, 'containernetworking-plugins'],
  [`${CNI_BIN_DIR}/host-local`, 'containernetworking-plugins'],
  [`${CNI_BIN_DIR}/loopback`, 'containernetworking-plugins'],
  ['/bin/busybox', 'busybox-static'],
  ['/usr/bin/nsenter', 'util-linux'],
] as const;

/** Throws naming every program the private containerd needs and the machine lacks. */
export function checkPrerequisites(): void {
  const missing = REQUIRED.filter(([path]) => !existsSync(path));
  if (missing.length) {
    spawnSync('bash', [join(repoRoot(), 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
  }
  const still = REQUIRED.filter(([path]) => !existsSync(path));
  if (still.length) {
    throw new Error(
      `containerd cannot start: missing ${still.map(([p, pkg]) => `${p} (Debian package ${pkg})`).join(', ')}; run scripts/setup-system.sh as root`,
    );
  }
  if (process.getuid?.() !== 0) throw new Error('containerd cannot start: the tests must run as root (namespaces, mounts, cgroups)');
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    throw new Error('containerd cannot start: no memory cgroup at /sys/fs/cgroup');
  }
}

function repoRoot(): string {
  let dir = new URL('.', import.meta.url).pathname;
  while (!existsSync(join(dir, 'scripts', 'setup-system.sh'))) {
    const parent = join(dir, '..');
    if (parent === dir || dir === '/') throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

function configToml(dir: string, address: string, cniConfDir: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
oom_score = 0
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "${address}"
[ttrpc]
  address = "${address}.ttrpc"
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"

[${cri}]
  sandbox_image = "${PAUSE_IMAGE}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "${dir}/runc"
        SystemdCgroup = false
  # the test registry (registry-process.ts) serves plain HTTP inside the namespace
  [${cri}.registry.mirrors."127.0.0.1:5000"]
    endpoint = ["http://127.0.0.1:5000"]
  [${cri}.cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${cniConfDir}"
    max_conf_num = 1
`;
}

function cniConfig(subnet: string, bridge: string): string {
  const base = subnet.replace(/\.0\/24$/, '');
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'kite-test',
      plugins: [
        {
          type: 'bridge',
          bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet, gateway: `${base}.1` }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
      ],
    },
    null,
    2,
  );
}

let counter = 0;
const running = new Set<ChildProcess>();
let exitHook = false;

/** Pids of processes whose command line mentions `needle` (the shims of one containerd). */
function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) pids.push(Number(entry));
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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
  const subnet = `10.88.${(process.pid + n) % 200 + 20}.0/24`;
  const cgroupParent = `/kite-test-${id}`;
  const cniConfDir = join(dir, 'cni');
  const logRoot = join(dir, 'pods');
  const logFile = join(dir, 'containerd.log');
  mkdirSync(cniConfDir);
  mkdirSync(logRoot);
  writeFileSync(join(cniConfDir, '10-kite.conflist'), cniConfig(subnet, 'kite0'));
  writeFileSync(join(dir, 'config.toml'), configToml(dir, address, cniConfDir));

  run('ip', ['netns', 'add', netns]);
  let child: ChildProcess | undefined;
  const cleanupNetns = (): void => {
    spawnSync('ip', ['netns', 'del', netns]);
  };
  try {
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
    cleanupNetns();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const proc = child;
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }

  const tail = (): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const dial = (url: URL): Promise<Duplex> => {
    const nc = spawn('nsenter', [`--net=/run/netns/${netns}`, '/bin/busybox', 'nc', url.hostname, url.port || '80'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    return Promise.resolve(duplexOf(nc));
  };
  const clients: ContainerRuntime[] = [];
  const makeRuntime = (): ContainerRuntime => {
    const runtime = createContainerdRuntime({ endpoint: address, streamDialer: dial, requestTimeoutMs: 60_000, nodeIPs: ['127.0.0.1'] });
    clients.push(runtime);
    return runtime;
  };

  let stopped = false;
  const instance: ContainerdProcess = {
    address,
    pid: proc.pid ?? -1,
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
      if (proc.exitCode === null && proc.signalCode === null) {
        const runtime = makeRuntime();
        try {
          for (const sandbox of await runtime.listPodSandbox()) {
            await runtime.stopPodSandbox(sandbox.id);
            await runtime.removePodSandbox(sandbox.id);
          }
        } catch {
          // containerd may be unhealthy; the shims are ended below regardless
        }
      }
      for (const client of clients) await client.close();
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const exited = await waitUntil('containerd to exit', () => proc.exitCode !== null || proc.signalCode !== null, { timeoutMs: 10_000 }).then(
          () => true,
          () => false,
        );
        if (!exited) proc.kill('SIGKILL');
      }
      // Shims outlive containerd by design; end the ones this containerd started.
      for (const pid of pidsMentioning(address)) {
        if (pid !== process.pid) process.kill(pid, 'SIGKILL');
      }
      await waitUntil('containerd shims to exit', () => pidsMentioning(address).every((pid) => !isAlive(pid)), { timeoutMs: 10_000 });
      for (const point of mountsUnder(dir)) spawnSync('umount', ['-l', point]);
      cleanupNetns();
      for (const controller of readdirSync('/sys/fs/cgroup')) {
        const path = join('/sys/fs/cgroup', controller, cgroupParent);
        if (existsSync(path)) {
          try {
            rmdirSync(path);
          } catch {
            // a child cgroup is still there; runc removes them with their containers
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitUntil(
      'containerd to serve the CRI',
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`containerd exited (code ${proc.exitCode}, signal ${proc.signalCode})`);
        }
        if (!existsSync(address)) return false;
        const r = spawnSync('ctr', ['-a', address, 'plugins', 'ls'], { encoding: 'utf8', timeout: 5_000 });
        return r.status === 0 && /io\.containerd\.grpc\.v1\s+cri\s+.*\bok\b/.test(r.stdout);
      },
      { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100, describe: () => `containerd log ${logFile}:\n${tail()}` },
    );
    instance.addImage({ name: PAUSE_IMAGE, entrypoint: ['/bin/sleep'], cmd: ['2147483647'] });
  } catch (err) {
    await instance.stop();
    throw err;
  }
  return instance;
}

/** A child process's stdin/stdout as one Duplex (the netns dialer's connection). */
function duplexOf(child: ChildProcess): Duplex {
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    duplex.push(null);
  };
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      stdin.write(chunk, callback);
    },
    final(callback) {
      stdin.end();
      callback();
    },
    read() {
      stdout.resume();
    },
    destroy(err, callback) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      callback(err);
    },
  });
  stdout.on('data', (chunk: Buffer) => {
    if (!ended && !duplex.push(chunk)) stdout.pause();
  });
  stdout.on('end', end);
  stdin.on('error', () => undefined);
  child.on('exit', () => stdout.once('close', end));
  return duplex;
}
