// The scheduler's configuration file (KubeSchedulerConfiguration, kubescheduler.config.k8s.io/v1,
// the parts Kite implements): profiles by schedulerName, each with plugins enabled/disabled per
// extension point or for all of them (multiPoint), score weights, plugin args and
// percentageOfNodesToScore. Defaults are kube-scheduler's default profile restricted to the
// plugins Kite has.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const EXTENSION_POINTS = ['preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export type Plugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
}

export interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  /** The scheduler's API client limits (defaults: qps 50, burst 100, as kube-scheduler v1). */
  clientConnection?: { qps?: number; burst?: number };
  percentageOfNodesToScore?: number;
  profiles?: ProfileConfig[];
}

/** KubeSchedulerConfiguration v1's clientConnection defaults. */
export const DEFAULT_CLIENT_QPS = 50;
export const DEFAULT_CLIENT_BURST = 100;

/** kube-scheduler's default multiPoint plugins (getDefaultPlugins), those Kite implements. */
export const DEFAULT_PLUGINS: PluginRef[] = [
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeBinding' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/** A profile with its plugin lists resolved. */
export interface Profile {
  schedulerName: string;
  /** 0 or undefined: kube-scheduler's adaptive percentage. */
  percentageOfNodesToScore: number | undefined;
  /** Every plugin in some list, in first-seen order. */
  plugins: string[];
  /** Per extension point: the plugins that run there (if they implement it). multiPoint ones are under every point. */
  points: Record<ExtensionPoint, string[]>;
  weights: Map<string, number>;
  args: Map<string, Record<string, unknown> | undefined>;
}

function merge(defaults: PluginRef[], set: PluginSet | undefined): PluginRef[] {
  const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
  const base = disabled.has('*') ? [] : defaults.filter((p) => !disabled.has(p.name));
  const out = [...base];
  for (const p of set?.enabled ?? []) {
    const i = out.findIndex((q) => q.name === p.name);
    if (i >= 0) out[i] = { ...out[i]!, ...p };
    else out.push(p);
  }
  return out;
}

export function resolveProfile(p: ProfileConfig, globalPercentage?: number): Profile {
  const multi = merge(DEFAULT_PLUGINS, p.plugins?.multiPoint);
  const weights = new Map<string, number>();
  const all: string[] = [];
  const note = (ref: PluginRef) => {
    if (!all.includes(ref.name)) all.push(ref.name);
  };
  multi.forEach(note);
  const points = {} as Record<ExtensionPoint, string[]>;
  for (const point of EXTENSION_POINTS) {
    const set = p.plugins?.[point];
    const list = merge(multi, set);
    // Explicitly enabled at a point: it also counts there even if multiPoint lacks it.
    list.forEach(note);
    points[point] = list.map((r) => r.name);
    // Weights come from the score list (multiPoint weights, overridden by score's own).
    if (point === 'score') for (const r of list) weights.set(r.name, r.weight ?? 1);
  }
  const args = new Map<string, Record<string, unknown> | undefined>();
  for (const c of p.pluginConfig ?? []) args.set(c.name, c.args);
  return {
    schedulerName: p.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? globalPercentage,
    plugins: all,
    points,
    weights,
    args,
  };
}

export function resolveConfiguration(cfg: SchedulerConfiguration = {}): Profile[] {
  const profiles = cfg.profiles?.length ? cfg.profiles : [{}];
  const out = profiles.map((p) => resolveProfile(p, cfg.percentageOfNodesToScore));
  const names = new Set<string>();
  for (const p of out) {
    if (names.has(p.schedulerName)) throw new Error(`duplicate profile with schedulerName "${p.schedulerName}"`);
    names.add(p.schedulerName);
    const pct = p.percentageOfNodesToScore;
    if (pct !== undefined && (pct < 0 || pct > 100)) throw new Error(`percentageOfNodesToScore must be in [0, 100], got ${pct}`);
  }
  return out;
}

/** Parses a configuration file (YAML or JSON). */
export function loadConfiguration(path: string): SchedulerConfiguration {
  const text = readFileSync(path, 'utf8');
  const cfg = parseYaml(text) as SchedulerConfiguration | null;
  if (cfg && cfg.kind && cfg.kind !== 'KubeSchedulerConfiguration') throw new Error(`${path}: kind ${cfg.kind} is not KubeSchedulerConfiguration`);
  return cfg ?? {};
}
