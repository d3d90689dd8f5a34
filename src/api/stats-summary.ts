// The kubelet's summary API (stats/v1alpha1 Summary, served at /stats/summary): node and pod CPU and
// memory usage. The kubelet produces it; the API server reads it for metrics.k8s.io (kubectl top).
// Times are RFC 3339 strings, as the kubelet serializes metav1.Time.

export interface CpuStats {
  time: string;
  /** The current rate, in billionths of a core. */
  usageNanoCores?: number;
  /** Cumulative CPU time, in nanoseconds. */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
}

export interface ContainerStatsSummary {
  name: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodReference {
  name: string;
  namespace: string;
  uid: string;
}

export interface PodStatsSummary {
  podRef: PodReference;
  startTime: string;
  containers: ContainerStatsSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface StatsSummary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}
