// A small network of "hosts" for multi-node tests, made of network namespaces the test creates: a
// hub namespace holding a Linux bridge, and one namespace per host joined to it by a veth pair
// (eth0 in the host's namespace, vN in the hub's) with an address on a private /24. Nothing is made
// in the host's own network namespace. destroy() kills every process still inside the namespaces
// (e.g. the containers of a SIGKILLed process-runtime agent) and deletes them, which removes the
// veths and the bridge too; it also runs at process exit if a test forgot it.

import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';

export interface NetnsHost {
  /** The network namespace's name (`ip netns exec NAME …`). */
  netns: string;
  /** Its address on the lab's /24. */
  ip: string;
}

export interface NetnsLab {
  hub: string;
  hosts: Readonly<Record<string, NetnsHost>>;
  /** The `spawn` file and argv that run FILE ARGS inside NETNS (`ip netns exec` execs in place). */
  argv(netns: string, file: string, args: string[]): [string, string[]];
  /** Runs FILE ARGS inside NETNS to completion (bounded). */
  run(netns: string, file: string, args: string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Kills the processes left in the namespaces and deletes them; idempotent. */
  destroy(): void;
}

export interface NetnsLabOptions {
  /** Prefix of the namespaces' names; the test's pid is added so that runs side by side do not collide. */
  prefix: string;
  /** The first three octets of the /24, e.g. "10.213.0"; host i gets .(i+1). */
  subnet: string;
  /** Host names, in address order. */
  hosts: string[];
}

function ip(args: string[], timeoutMs = 10_000): SpawnSyncReturns<string> {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error("iproute2's `ip` is not installed (scripts/setup-system.sh installs it: apt-get install iproute2)");
  }
  return r;
}

function ipOk(args: string[]): string {
  const r = ip(args);
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.trim() || r.error?.message}`);
  return r.stdout;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Kills every process in NETNS (SIGKILL), waits for them to go, then deletes the namespace. */
function removeNetns(netns: string): void {
  for (let attempt = 0; attempt < 50; attempt++) {
    const r = ip(['netns', 'pids', netns]);
    if (r.status !== 0) break; // already gone
    const pids = r.stdout.split(/\s+/).filter(Boolean).map(Number);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    sleepSync(100);
  }
  ip(['netns', 'delete', netns]);
}

/** Creates the hub, its bridge and one namespace per host; fails (after undoing what it made) saying what is missing. */
export function createNetnsLab(options: NetnsLabOptions): NetnsLab {
  if (process.getuid?.() !== 0) throw new Error('network namespaces need root (ip netns add)');
  const base = `${options.prefix}${process.pid}`;
  const hub = `${base}-hub`;
  const made: string[] = [];
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    // hosts first, the hub (with the bridge) last
    for (const netns of [...made].reverse()) removeNetns(netns);
  };
  process.once('exit', destroy);
  const add = (netns: string) => {
    const r = ip(['netns', 'add', netns]);
    if (r.status !== 0) throw new Error(`cannot create the network namespace ${netns} (ip netns add): ${r.stderr.trim()}`);
    made.push(netns);
    ipOk(['-n', netns, 'link', 'set', 'lo', 'up']);
  };

  const hosts: Record<string, NetnsHost> = {};
  try {
    add(hub);
    ipOk(['-n', hub, 'link', 'add', 'br0', 'type', 'bridge']);
    ipOk(['-n', hub, 'link', 'set', 'br0', 'up']);
    options.hosts.forEach((name, i) => {
      const netns = `${base}-${name}`;
      const address = `${options.subnet}.${i + 1}`;
      add(netns);
      // both ends are made inside the hub and the peer goes straight into the host's namespace
      ipOk(['-n', hub, 'link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
      ipOk(['-n', hub, 'link', 'set', `v${i}`, 'master', 'br0', 'up']);
      ipOk(['-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      ipOk(['-n', netns, 'link', 'set', 'eth0', 'up']);
      hosts[name] = { netns, ip: address };
    });
  } catch (err) {
    destroy();
    throw err;
  }

  const argv = (netns: string, file: string, args: string[]): [string, string[]] => ['ip', ['netns', 'exec', netns, file, ...args]];
  return {
    hub,
    hosts,
    argv,
    destroy,
    run(netns, file, args, timeoutMs = 30_000) {
      return new Promise((resolve) => {
        execFile('ip', ['netns', 'exec', netns, file, ...args], { encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, stdout, stderr: stderr || (err && code === -1 ? err.message : '') });
        });
      });
    },
  };
}
