// The `process` container runtime, Kite's embedded default: the CRI RuntimeService and
// ImageService over host processes. A sandbox is a record (its network is the host's, its IP the
// node's); a container is a process group started from command + args with its own env, working
// directory, symlinked mounts, CRI log and, when cgroups are usable, its own cgroup with limits.
// State is kept in memory and on disk (records.ts), so a new runtime object over the same root
// directory finds earlier sandboxes and containers, adopts still-running processes and can stop them.

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Duplex, Writable } from 'node:stream';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { RuntimeNotFoundError } from '../errors.js';
import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecSyncResult,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  StreamOptions,
  StreamSession,
  VersionInfo,
} from '../runtime.js';
import { attachSession } from './attach.js';
import { Cgroups, type CgroupMode } from './cgroups.js';
import { prepareContainerRoot, workingDirectory } from './container-root.js';
import { ContainerOutput } from './container-output.js';
import { execStream, execSync, type ExecContext } from './exec.js';
import { closeFd, ensureFifos, openFifoForContainer } from './fifo.js';
import { containerMatches, sandboxMatches, toContainer, toContainerStatus, toPodSandbox, toPodSandboxStatus } from './filters.js';
import { ImageStore } from './images.js';
import { containerEnv, launch } from './launch.js';
import { MainProcess, readExitCodeFile } from './main-process.js';
import { environHas, liveProcesses, processGroupMembers, type ProcStat } from './proc.js';
import { pollUntil, stopProcessGroup } from './process-group.js';
import { resizeTerminal } from './pty.js';
import { RecordStore, type ContainerRecord, type SandboxRecord } from './records.js';
import { containerUsage, directoryUsage } from './stats.js';

export interface ProcessRuntimeOptions {
  /** The runtime's state directory: records, FIFOs, container roots, image records. */
  rootDir: string;
  /** The node's IP, reported as every sandbox's pod IP (the pod network is the host network). */
  nodeIp: string;
  clock?: Clock;
  logger?: Logger;
  /** 'auto' (default): limits through cgroups when running as root and they are writable; 'off': never. */
  cgroups?: 'auto' | 'off';
  /** The Kite-owned parent cgroup under each hierarchy's root (default "kite"). */
  cgroupParent?: string;
  /** How long a container's output may keep flowing after its main process exits before its
   *  status says exited (a forked child may hold the pipe); default 2000 ms. */
  outputDrainMs?: number;
}

/** Whether limits are enforced, and how or why not. */
export interface ResourceLimitSupport {
  enforced: boolean;
  cgroups: CgroupMode;
  reason: string;
}

/** What the runtime holds for a container beyond its record: live processes and streams. */
interface Live {
  main?: MainProcess;
  output?: ContainerOutput;
  stdin?: Writable;
  /** startContainer is under way. */
  starting?: boolean;
  /** Exec'd process groups still running. */
  execs: Set<number>;
  /** Resolves once the exit has been recorded. */
  finished?: Promise<void>;
  /** The main process was seen alive by this runtime, so its pid is still the container's process
   *  group id. Otherwise (it died while no runtime watched) the pid may since have been reused,
   *  and only processes carrying the container's KITE_ROOT are taken for its leftovers. */
  groupTrusted?: boolean;
}

export const PROCESS_RUNTIME_NAME = 'kite-process';
export const PROCESS_RUNTIME_VERSION = '0.1.0';

/** Creates the process runtime over rootDir, loading what an earlier runtime left there. */
export async function createProcessRuntime(options: ProcessRuntimeOptions): Promise<ProcessRuntime> {
  const runtime = new ProcessRuntime(options);
  runtime.load();
  return runtime;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly limits: ResourceLimitSupport;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly store: RecordStore;
  private readonly images: ImageStore;
  private readonly cgroups: Cgroups;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly live = new Map<string, Live>();
  private readonly drainMs: number;
  private closed = false;

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? silentLogger;
    this.drainMs = options.outputDrainMs ?? 2000;
    mkdirSync(options.rootDir, { recursive: true });
    this.store = new RecordStore(options.rootDir);
    this.images = new ImageStore(options.rootDir);
    this.cgroups = new Cgroups({ parent: options.cgroupParent ?? 'kite', enabled: options.cgroups !== 'off' });
    this.limits = { enforced: this.cgroups.mode !== 'none', cgroups: this.cgroups.mode, reason: this.cgroups.reason };
    if (this.limits.enforced) this.log.info('resource limits enforced through cgroups', { cgroups: this.cgroups.mode });
    else this.log.warn('resource limits NOT enforced', { reason: this.cgroups.reason });
  }

  /** Reads the records an earlier runtime left; adopts its containers' processes still alive. */
  load(): void {
    for (const s of this.store.loadSandboxes()) this.sandboxes.set(s.id, s);
    for (const c of this.store.loadContainers()) {
      this.containers.set(c.id, c);
      const live: Live = { execs: new Set() };
      this.live.set(c.id, live);
      if (c.state !== 'running') continue;
      const main =
        c.pid !== undefined && c.initPid !== undefined
          ? MainProcess.adopt({ pid: c.pid, startTime: c.pidStartTime ?? 0 }, { pid: c.initPid, startTime: c.initStartTime ?? 0 }, this.exitCodeFile(c.id), this.clock)
          : undefined;
      if (main) {
        live.main = main;
        live.groupTrusted = true;
        try {
          live.output = new ContainerOutput(this.fifos(c.id), c.logPath, this.clock);
        } catch (err) {
          this.log.warn('cannot read the output of an adopted container', { id: c.id, err });
        }
        live.finished = main.exited.then((code) => this.finish(c, code));
        this.log.info('adopted running container', { id: c.id, pid: c.pid });
      } else {
        live.finished = this.finish(c, readExitCodeFile(this.exitCodeFile(c.id)));
      }
    }
  }

  async version(): Promise<VersionInfo> {
    return {
      runtimeName: PROCESS_RUNTIME_NAME,
      runtimeVersion: PROCESS_RUNTIME_VERSION,
      runtimeApiVersion: 'v1',
      limitsEnforced: this.limits.enforced,
    };
  }

  // ---- sandboxes

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    if (config.logDirectory) mkdirSync(config.logDirectory, { recursive: true });
    const record: SandboxRecord = { id, config, state: 'ready', createdAt: this.clock.now(), ips: [this.options.nodeIp] };
    this.store.saveSandbox(record);
    this.sandboxes.set(id, record);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    await Promise.all(this.containersOf(id).map((c) => this.stopContainer(c.id, 0)));
    if (sandbox.state !== 'notready') {
      sandbox.state = 'notready';
      this.store.saveSandbox(sandbox);
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    if (!this.sandboxes.has(id)) return;
    await this.stopPodSandbox(id);
    for (const c of this.containersOf(id)) await this.removeContainer(c.id);
    await pollUntil(this.clock, () => this.cgroups.removeSandbox(id), 5000);
    this.store.deleteSandbox(id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return toPodSandboxStatus(this.sandbox(id));
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()].filter((s) => sandboxMatches(s, filter)).map(toPodSandbox);
  }

  // ---- containers

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandbox(podSandboxId);
    if (sandbox.state !== 'ready') throw new Error(`sandbox "${podSandboxId}" is not ready`);
    // There is no image entrypoint to fall back on: args alone run as the command line, as they
    // would in a busybox-like image whose entrypoint is empty (`kubectl run x --image=busybox -- sleep 60`).
    if (config.command.length === 0 && config.args.length === 0) throw new Error('no command: the process runtime has no image entrypoint to fall back on');
    // No namespaces here: every container already sees every process on the host, so an ephemeral
    // container's pidNamespaceTargetId (its targetContainerName) needs nothing done.
    const id = newId();
    const logDirectory = sandbox.config.logDirectory || sandboxConfig.logDirectory;
    const record: ContainerRecord = {
      id,
      sandboxId: podSandboxId,
      config,
      imageRef: this.images.find(config.image)?.repoDigests[0] ?? this.images.pull(config.image),
      logPath: logDirectory && config.logPath ? join(logDirectory, config.logPath) : join(this.store.containerDir(id), 'container.log'),
      state: 'created',
      createdAt: this.clock.now(),
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      message: '',
    };
    this.store.saveContainer(record);
    this.containers.set(id, record);
    this.live.set(id, { execs: new Set() });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    const live = this.live.get(id)!;
    if (c.state !== 'created' || live.starting) throw new Error(`container "${id}" is ${live.starting ? 'starting' : c.state}, not created`);
    const sandbox = this.sandbox(c.sandboxId);
    live.starting = true;
    const fifos = this.fifos(id);
    let fds: number[] = [];
    try {
      const root = prepareContainerRoot(this.rootfs(id), c.config.mounts);
      const cwd = workingDirectory(root, c.config.workingDir);
      const env = containerEnv(c.config.envs, { KITE_ROOT: root, HOSTNAME: sandbox.config.hostname });
      c.cgroups = this.cgroups.create(c.sandboxId, id, c.config.resources);
      await ensureFifos(fifos.stdout, fifos.stderr);
      fds = [openFifoForContainer(fifos.stdout), openFifoForContainer(fifos.stderr)];
      rmSync(this.exitCodeFile(id), { force: true });
      const child = launch({
        argv: [...c.config.command, ...c.config.args],
        tty: c.config.tty,
        env,
        cwd,
        cgroupProcs: c.cgroups ? this.cgroups.procsFiles(c.cgroups) : [],
        exitCodeFile: this.exitCodeFile(id),
        stdio: [c.config.stdin ? 'pipe' : 'ignore', fds[0]!, fds[1]!],
      });
      live.output = new ContainerOutput(fifos, c.logPath, this.clock);
      live.main = await MainProcess.started(child, this.exitCodeFile(id));
      live.groupTrusted = true;
      live.stdin = child.stdin ?? undefined;
      live.stdin?.on('error', () => {});
    } catch (err) {
      live.output?.close();
      Object.assign(c, { state: 'exited', exitCode: 128, reason: 'StartError', message: (err as Error).message, finishedAt: this.clock.now() });
      this.store.saveContainer(c);
      throw err;
    } finally {
      for (const fd of fds) closeFd(fd);
      live.starting = false;
    }
    const { command, init } = live.main;
    Object.assign(c, { state: 'running', startedAt: this.clock.now(), pid: command.pid, pidStartTime: command.startTime, initPid: init.pid, initStartTime: init.startTime });
    this.store.saveContainer(c);
    live.finished = live.main.exited.then((code) => this.finish(c, code));
    if (c.config.tty) resizeTerminal(live.main.pid, 80, 24, this.clock);
  }

  /** Records how the container ended: as when a container's init exits and its pid namespace
   *  goes, what is left of it is killed; then its output drains (bounded) and the exit is saved. */
  private async finish(c: ContainerRecord, code: number | undefined): Promise<void> {
    const live = this.live.get(c.id);
    if (c.pid !== undefined && live && !this.closed) await this.killRemains(c, live);
    if (live?.output) await Promise.race([live.output.done, this.clock.sleep(this.drainMs)]);
    live?.stdin?.end();
    const exitCode = code ?? (c.killedByRuntime ? 137 : 255);
    const oomKilled = c.cgroups !== undefined && this.cgroups.oomKilled(c.cgroups, exitCode);
    let reason = exitCode === 0 ? 'Completed' : 'Error';
    let message = '';
    if (oomKilled) reason = 'OOMKilled';
    else if (code === undefined && !c.killedByRuntime) {
      reason = 'Unknown';
      message = 'the container exited while no runtime was watching it and its exit code was not recorded';
    }
    Object.assign(c, { state: 'exited', exitCode, reason, message, finishedAt: this.clock.now() });
    if (this.containers.has(c.id) && !this.closed) this.store.saveContainer(c);
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.container(id);
    const live = this.live.get(id)!;
    if (c.state === 'running' && live.main?.running) {
      await stopProcessGroup({
        pgid: live.main.pid,
        extraPids: () => this.strayPids(c, live),
        graceMs: Math.max(0, timeoutSeconds) * 1000,
        clock: this.clock,
        // Before the kill, so an exit noticed meanwhile is not taken for an unexplained one.
        onKill: () => (c.killedByRuntime = true),
      });
      live.main.check();
    }
    await live.finished;
  }

  /** SIGKILLs whatever is left of the container: its process group, its cgroup, exec'd commands. */
  private async killRemains(c: ContainerRecord, live: Live): Promise<void> {
    try {
      const pgid = c.pid!;
      const marker = `KITE_ROOT=${this.rootfs(c.id)}`;
      const members = () => (live.groupTrusted ? [] : processGroupMembers(pgid).flatMap((p) => (environHas(p.pid, marker) ? [p.pid] : [])));
      await stopProcessGroup({
        pgid: live.groupTrusted ? pgid : undefined,
        extraPids: () => [...members(), ...this.strayPids(c, live)],
        graceMs: 0,
        clock: this.clock,
      });
      // The group is gone, so its id may now be reused by any process: leftovers are found by marker from now on.
      live.groupTrusted = false;
    } catch (err) {
      this.log.warn('processes of an exited container survive SIGKILL', { id: c.id, err });
    }
  }

  /** Processes of the container outside its main process group: its cgroup's, and exec'd ones. */
  private strayPids(c: ContainerRecord, live: Live): number[] {
    const pids = c.cgroups ? this.cgroups.pids(c.cgroups) : [];
    for (const pgid of live.execs) pids.push(...processGroupMembers(pgid).map((p) => p.pid));
    return pids;
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    const live = this.live.get(id)!;
    await this.stopContainer(id, 0);
    if (c.pid !== undefined) await this.killRemains(c, live);
    live.output?.close();
    if (c.cgroups) {
      const dirs = c.cgroups;
      if (!(await pollUntil(this.clock, () => this.cgroups.remove(dirs), 5000))) this.log.warn('could not remove cgroups', { id, dirs });
    }
    this.containers.delete(id);
    this.live.delete(id);
    this.store.deleteContainer(id);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return [...this.containers.values()].filter((c) => containerMatches(c, filter)).map(toContainer);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return toContainerStatus(this.container(id));
  }

  // ---- exec, attach, port-forward

  private execContext(id: string): ExecContext {
    const c = this.container(id);
    if (c.state !== 'running') throw new Error(`container "${id}" is not running`);
    const live = this.live.get(id)!;
    const root = this.rootfs(id);
    const sandbox = this.sandboxes.get(c.sandboxId);
    return {
      env: containerEnv(c.config.envs, { KITE_ROOT: root, HOSTNAME: sandbox?.config.hostname ?? '' }),
      cwd: workingDirectory(root, c.config.workingDir),
      cgroupProcs: c.cgroups ? this.cgroups.procsFiles(c.cgroups) : [],
      clock: this.clock,
      track(pgid, ended) {
        live.execs.add(pgid);
        void ended.then(() => live.execs.delete(pgid));
      },
    };
  }

  async execSync(id: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    return execSync(this.execContext(id), cmd, timeoutMs);
  }

  async exec(id: string, cmd: string[], options: StreamOptions): Promise<StreamSession> {
    return execStream(this.execContext(id), cmd, options);
  }

  async attach(id: string, options: StreamOptions): Promise<StreamSession> {
    const c = this.container(id);
    const live = this.live.get(id)!;
    if (c.state !== 'running' || !live.main || !live.output) throw new Error(`container "${id}" is not running`);
    const { tty, stdinOnce } = c.config;
    return attachSession({ main: live.main, output: live.output, stdin: live.stdin, tty, stdinOnce, clock: this.clock }, options);
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    this.sandbox(podSandboxId);
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  // ---- stats

  async containerStats(id: string): Promise<ContainerStats> {
    return this.statsOf(this.container(id));
  }

  async listContainerStats(filter?: ContainerFilter): Promise<ContainerStats[]> {
    const processes = this.limits.enforced ? undefined : liveProcesses();
    return [...this.containers.values()].filter((c) => containerMatches(c, filter)).map((c) => this.statsOf(c, processes));
  }

  private statsOf(c: ContainerRecord, processes?: ProcStat[]): ContainerStats {
    const running = c.state === 'running';
    const usage = containerUsage(this.cgroups, c.cgroups, running ? c.pid : undefined, processes);
    return {
      id: c.id,
      metadata: c.config.metadata,
      timestamp: this.clock.now(),
      cpuUsageCoreNanoSeconds: usage.cpuNanos,
      memoryWorkingSetBytes: running ? usage.workingSetBytes : 0,
    };
  }

  // ---- images

  async pullImage(image: string, _auth?: AuthConfig, _sandboxConfig?: PodSandboxConfig): Promise<string> {
    return this.images.pull(image);
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    return this.images.find(image);
  }

  async listImages(): Promise<Image[]> {
    return this.images.list();
  }

  async removeImage(image: string): Promise<void> {
    this.images.remove(image);
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const usage = directoryUsage(this.options.rootDir);
    return [{ timestamp: this.clock.now(), mountpoint: this.options.rootDir, usedBytes: usage.bytes, inodesUsed: usage.inodes }];
  }

  /** Stops watching: containers keep running, and a new runtime over the same root adopts them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) {
      live.main?.release();
      live.output?.close();
      live.stdin?.destroy();
    }
  }

  // ---- helpers

  private sandbox(id: string): SandboxRecord {
    const s = this.sandboxes.get(id);
    if (!s) throw new RuntimeNotFoundError('sandbox', id);
    return s;
  }

  private container(id: string): ContainerRecord {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeNotFoundError('container', id);
    return c;
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  private fifos(id: string): { stdout: string; stderr: string } {
    const dir = this.store.containerDir(id);
    return { stdout: join(dir, 'stdout.fifo'), stderr: join(dir, 'stderr.fifo') };
  }

  private rootfs(id: string): string {
    return join(this.store.containerDir(id), 'rootfs');
  }

  private exitCodeFile(id: string): string {
    return join(this.store.containerDir(id), 'exit-code');
  }
}

function newId(): string {
  return randomBytes(32).toString('hex');
}
