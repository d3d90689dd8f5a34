// Node and pod stats for /stats/summary and /metrics/resource, computed from the container
// runtime's stats and the node's /proc: cumulative CPU time and its current rate (from the
// previous sample, or a short second sample when there is none), and memory working sets.
// Containers are matched to pods by the labels the kubelet puts on them (io.kubernetes.*).

import { readFile } from 'node:fs/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatsSummary, CpuStats, MemoryStats, PodStatsSummary, StatsSummary } from '../../api/stats-summary.js';
import type { ContainerRuntime } from '../../runtime/runtime.js';
import type { Clock } from '../../util/clock.js';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

interface Sample {
  at: number;
  cpuNs: number;
}

/** How long a previous sample stays good for computing a rate. */
const MAX_SAMPLE_AGE_MS = 60_000;
/** The gap between two samples taken on demand. */
const ON_DEMAND_GAP_MS = 200;
const USER_HZ = 100;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The node's cumulative busy CPU time (ns) from /proc/stat, and its memory from /proc/meminfo. */
export async function readNodeUsage(): Promise<{ cpuNs: number; memory: { totalBytes: number; availableBytes: number; freeBytes: number } }> {
  const stat = await readFile('/proc/stat', 'utf8');
  const fields = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = fields.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + (v || 0)), 0);
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  return {
    cpuNs: (busy * 1e9) / USER_HZ,
    memory: { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable'), freeBytes: kb('MemFree') },
  };
}

export interface RuntimeStatsOptions {
  nodeName: string;
  runtime: ContainerRuntime;
  listPods(): Promise<Pod[]>;
  clock: Clock;
  /** When the node (kubelet) started, ms since the epoch. */
  startTime: number;
}

/** Computes the summary from the runtime; keep one per kubelet (it remembers the last samples). */
export class RuntimeStats {
  private readonly samples = new Map<string, Sample>();

  constructor(private readonly options: RuntimeStatsOptions) {}

  private rate(key: string, sample: Sample): number | undefined {
    const prev = this.samples.get(key);
    this.samples.set(key, sample);
    if (!prev || sample.at <= prev.at || sample.at - prev.at > MAX_SAMPLE_AGE_MS) return undefined;
    return Math.max(0, Math.round(((sample.cpuNs - prev.cpuNs) * 1e9) / ((sample.at - prev.at) * 1e6)));
  }

  private async collect() {
    const { runtime, clock } = this.options;
    const node = await readNodeUsage();
    const containers = await runtime.listContainers({ state: 'running' });
    const stats = await runtime.listContainerStats({ state: 'running' });
    return { at: clock.now(), node, containers, stats };
  }

  async summary(): Promise<StatsSummary> {
    const { clock } = this.options;
    let sample = await this.collect();
    const fresh = (key: string) => {
      const prev = this.samples.get(key);
      return prev !== undefined && sample.at - prev.at <= MAX_SAMPLE_AGE_MS && sample.at > prev.at;
    };
    if (!fresh('node') || sample.stats.some((s) => !fresh(s.id))) {
      for (const s of sample.stats) this.samples.set(s.id, { at: s.timestamp || sample.at, cpuNs: s.cpuUsageCoreNanoSeconds });
      this.samples.set('node', { at: sample.at, cpuNs: sample.node.cpuNs });
      await clock.sleep(ON_DEMAND_GAP_MS);
      sample = await this.collect();
    }
    const now = iso(sample.at);
    const nodeRate = this.rate('node', { at: sample.at, cpuNs: sample.node.cpuNs });
    const mem = sample.node.memory;
    const nodeSummary = {
      nodeName: this.options.nodeName,
      startTime: iso(this.options.startTime),
      cpu: { time: now, usageCoreNanoSeconds: Math.round(sample.node.cpuNs), ...(nodeRate !== undefined ? { usageNanoCores: nodeRate } : {}) },
      memory: {
        time: now,
        availableBytes: mem.availableBytes,
        usageBytes: mem.totalBytes - mem.freeBytes,
        workingSetBytes: mem.totalBytes - mem.availableBytes,
      },
    };

    const pods = new Map<string, PodStatsSummary>();
    const knownPods = new Map((await this.options.listPods()).map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
    const byId = new Map(sample.containers.map((c) => [c.id, c]));
    for (const stat of sample.stats) {
      const container = byId.get(stat.id);
      const labels = container?.labels ?? {};
      const name = labels[POD_NAME_LABEL];
      const namespace = labels[POD_NAMESPACE_LABEL];
      if (!name || !namespace) continue;
      const key = `${namespace}/${name}`;
      let pod = pods.get(key);
      if (!pod) {
        const known = knownPods.get(key);
        const started = known?.status?.startTime ?? iso(container?.createdAt ?? sample.at);
        pod = { podRef: { name, namespace, uid: labels[POD_UID_LABEL] ?? known?.metadata?.uid ?? '' }, startTime: started, containers: [] };
        pods.set(key, pod);
      }
      const rate = this.rate(stat.id, { at: stat.timestamp || sample.at, cpuNs: stat.cpuUsageCoreNanoSeconds });
      const entry: ContainerStatsSummary = {
        name: labels[CONTAINER_NAME_LABEL] ?? stat.metadata.name,
        startTime: iso(container?.createdAt ?? sample.at),
        cpu: { time: now, usageCoreNanoSeconds: stat.cpuUsageCoreNanoSeconds, ...(rate !== undefined ? { usageNanoCores: rate } : {}) },
        memory: { time: now, workingSetBytes: stat.memoryWorkingSetBytes, usageBytes: stat.memoryWorkingSetBytes },
      };
      pod.containers.push(entry);
    }
    for (const pod of pods.values()) {
      pod.cpu = sumCpu(now, pod.containers.map((c) => c.cpu));
      pod.memory = sumMemory(now, pod.containers.map((c) => c.memory));
    }
    // Forget containers that are gone.
    const live = new Set(['node', ...sample.stats.map((s) => s.id)]);
    for (const key of this.samples.keys()) if (!live.has(key)) this.samples.delete(key);
    return { node: nodeSummary, pods: [...pods.values()] };
  }
}

/** Sums the named fields over the containers' stats (a pod's usage). */
function sum<T extends object>(base: T, all: (T | undefined)[], fields: (keyof T)[]): T {
  const out = { ...base } as Record<keyof T, unknown>;
  for (const f of fields) out[f] = all.reduce((total, s) => total + ((s?.[f] as number | undefined) ?? 0), 0);
  return out as T;
}

const sumCpu = (time: string, all: (CpuStats | undefined)[]): CpuStats => sum<CpuStats>({ time }, all, ['usageCoreNanoSeconds', 'usageNanoCores']);
const sumMemory = (time: string, all: (MemoryStats | undefined)[]): MemoryStats => sum<MemoryStats>({ time }, all, ['workingSetBytes', 'usageBytes']);
