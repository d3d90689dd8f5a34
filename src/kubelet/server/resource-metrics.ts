// /metrics/resource: the kubelet's resource metrics in the Prometheus text format, rendered from
// the summary — node, container and pod CPU time and memory working set, container start times.

import type { StatsSummary } from '../../api/stats-summary.js';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
const ms = (time: string | undefined) => (time ? Date.parse(time) : undefined);

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: string[];
}

export function renderResourceMetrics(summary: StatsSummary): string {
  const family = (name: string, help: string, type: 'counter' | 'gauge'): Family => ({ name, help, type, samples: [] });
  const nodeCpu = family('node_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the node in core-seconds', 'counter');
  const nodeMem = family('node_memory_working_set_bytes', '[STABLE] Current working set of the node in bytes', 'gauge');
  const cCpu = family('container_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the container in core-seconds', 'counter');
  const cMem = family('container_memory_working_set_bytes', '[STABLE] Current working set of the container in bytes', 'gauge');
  const cStart = family('container_start_time_seconds', '[STABLE] Start time of the container since unix epoch in seconds', 'gauge');
  const pCpu = family('pod_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the pod in core-seconds', 'counter');
  const pMem = family('pod_memory_working_set_bytes', '[STABLE] Current working set of the pod in bytes', 'gauge');
  const add = (f: Family, l: Record<string, string>, value: number | undefined, time: string | undefined) => {
    if (value === undefined) return;
    const t = ms(time);
    f.samples.push(`${f.name}${Object.keys(l).length ? labels(l) : ''} ${value}${t !== undefined ? ` ${t}` : ''}`);
  };
  const seconds = (ns: number | undefined) => (ns === undefined ? undefined : ns / 1e9);

  add(nodeCpu, {}, seconds(summary.node.cpu?.usageCoreNanoSeconds), summary.node.cpu?.time);
  add(nodeMem, {}, summary.node.memory?.workingSetBytes, summary.node.memory?.time);
  for (const pod of summary.pods) {
    const podLabels = { namespace: pod.podRef.namespace, pod: pod.podRef.name };
    for (const c of pod.containers) {
      const l = { container: c.name, ...podLabels };
      add(cCpu, l, seconds(c.cpu?.usageCoreNanoSeconds), c.cpu?.time);
      add(cMem, l, c.memory?.workingSetBytes, c.memory?.time);
      const start = ms(c.startTime);
      if (start !== undefined) cStart.samples.push(`${cStart.name}${labels(l)} ${start / 1000}`);
    }
    add(pCpu, podLabels, seconds(pod.cpu?.usageCoreNanoSeconds), pod.cpu?.time);
    add(pMem, podLabels, pod.memory?.workingSetBytes, pod.memory?.time);
  }
  const out: string[] = [];
  for (const f of [cCpu, cMem, cStart, nodeCpu, nodeMem, pCpu, pMem]) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples);
  }
  out.push('# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise', '# TYPE scrape_error gauge', 'scrape_error 0');
  return out.join('\n') + '\n';
}
