// Test helpers for the work queue: a metrics provider that records every call, by queue name.

import type { MetricsProvider } from './metrics.js';

export interface RecordedQueueMetrics {
  depth: number;
  adds: number;
  retries: number;
  latency: number[];
  workDuration: number[];
  unfinishedWorkSeconds: number;
  longestRunningProcessorSeconds: number;
}

export function recordingMetricsProvider(): { provider: MetricsProvider; metrics: Map<string, RecordedQueueMetrics> } {
  const metrics = new Map<string, RecordedQueueMetrics>();
  const of = (name: string): RecordedQueueMetrics => {
    let m = metrics.get(name);
    if (!m) {
      m = { depth: 0, adds: 0, retries: 0, latency: [], workDuration: [], unfinishedWorkSeconds: 0, longestRunningProcessorSeconds: 0 };
      metrics.set(name, m);
    }
    return m;
  };
  const provider: MetricsProvider = {
    newDepthMetric: (name) => (of(name), { inc: () => void of(name).depth++, dec: () => void of(name).depth-- }),
    newAddsMetric: (name) => ({ inc: () => void of(name).adds++ }),
    newLatencyMetric: (name) => ({ observe: (v) => void of(name).latency.push(v) }),
    newWorkDurationMetric: (name) => ({ observe: (v) => void of(name).workDuration.push(v) }),
    newUnfinishedWorkSecondsMetric: (name) => ({ set: (v) => void (of(name).unfinishedWorkSeconds = v) }),
    newLongestRunningProcessorSecondsMetric: (name) => ({ set: (v) => void (of(name).longestRunningProcessorSeconds = v) }),
    newRetriesMetric: (name) => ({ inc: () => void of(name).retries++ }),
  };
  return { provider, metrics };
}
