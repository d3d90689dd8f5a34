// The scheduler_perf workloads bench/scheduler.ts runs (test/integration/scheduler_perf/config/
// performance-config.yaml, 5000Nodes variants), with the pod templates they name: what nodes to
// make, which pods exist before measuring (created already bound, untimed), which pods are measured
// and what churns meanwhile.

export type Manifest = Record<string, unknown>;

export interface Workload {
  name: string;
  /** Namespaces to create (the first is the default for pods). */
  namespaces: string[];
  nodes: number;
  /** Zone label values, assigned round-robin. */
  zones: string[];
  initPods: number;
  /** An init pod (placed on `nodeName` by the benchmark, so untimed). */
  initPod(name: string, nodeName: string): { namespace: string; pod: Manifest };
  measurePods: number;
  measurePod(name: string): { namespace: string; pod: Manifest };
  /** churn (mode recreate, every intervalMs): the objects made each round (and deleted the next). */
  churn?: { intervalMs: number; objects(round: number): { path: string; body: Manifest }[] };
  /** Objects created before the nodes (POST path, body). */
  setupObjects?: { path: string; body: Manifest }[];
  /** Also drain a backlog with the scheduler alone (SchedulingBasic's second pass). */
  backlog?: boolean;
}

const PAUSE = 'registry.k8s.io/pause:3.10';

/** templates/pod-default.yaml (with the labels the benchmark adds). */
export function podDefault(name: string, namespace: string, nodeName?: string, labels: Record<string, string> = {}): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [
        {
          name: 'pause',
          image: PAUSE,
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } },
        },
      ],
    },
  };
}

function withSpec(pod: Manifest, labels: Record<string, string>, spec: Record<string, unknown>): Manifest {
  const meta = pod['metadata'] as Record<string, unknown>;
  return { ...pod, metadata: { ...meta, labels }, spec: { ...(pod['spec'] as Record<string, unknown>), ...spec } };
}

/** templates/pod-with-pod-anti-affinity.yaml: color=green, one per host among both namespaces. */
function podAntiAffinity(name: string, namespace: string, nodeName?: string): Manifest {
  const affinity = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-0', 'sched-1'] }],
    },
  };
  return withSpec(podDefault(name, namespace, nodeName), { color: 'green' }, { affinity });
}

/** templates/pod-with-topology-spreading.yaml: color=blue, zone maxSkew 5, DoNotSchedule. */
function podTopologySpreading(name: string, namespace: string): Manifest {
  const topologySpreadConstraints = [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }];
  return withSpec(podDefault(name, namespace), { color: 'blue' }, { topologySpreadConstraints });
}

/** templates/pod-high-priority-large-cpu.yaml: priority 10, cpu 9 (fits no 4-cpu node). The spec's
 *  integer priority is given through a PriorityClass, since Kite's Priority admission (as
 *  kube-apiserver's) rejects a bare spec.priority. */
function podHighPriorityLargeCpu(name: string, namespace: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { priorityClassName: 'bench-high', containers: [{ name: 'pause', image: PAUSE, ports: [{ containerPort: 80 }], resources: { requests: { cpu: '9', memory: '500Mi' } } }] },
  };
}

/** A simulated node (churn/node-default.yaml, with status as the benchmark's nodes have). */
export function nodeManifest(name: string, zone: string): Manifest {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } }, spec: {} };
}

export const NODE_CAPACITY = { cpu: '4', memory: '32Gi', pods: '110' };

/** The 5000Nodes workloads (`quick`: 500 nodes and a tenth of the pods). */
export function workloads(quick: boolean): Workload[] {
  const scale = (n: number) => (quick ? Math.max(100, Math.round(n / 10)) : n);
  const nodes = quick ? 500 : 5000;
  return [
    {
      name: 'SchedulingBasic',
      namespaces: ['sched-bench'],
      nodes,
      zones: ['zone-0', 'zone-1', 'zone-2'],
      initPods: scale(1000),
      initPod: (name, node) => ({ namespace: 'sched-bench', pod: podDefault(name, 'sched-bench', node, { app: 'bench' }) }),
      measurePods: scale(10_000),
      measurePod: (name) => ({ namespace: 'sched-bench', pod: podDefault(name, 'sched-bench', undefined, { app: 'bench' }) }),
      backlog: true,
    },
    {
      name: 'SchedulingPodAntiAffinity',
      namespaces: ['sched-0', 'sched-1'],
      nodes,
      zones: ['zone-0', 'zone-1', 'zone-2'],
      initPods: scale(1000),
      initPod: (name, node) => ({ namespace: 'sched-0', pod: podAntiAffinity(name, 'sched-0', node) }),
      measurePods: scale(1000),
      measurePod: (name) => ({ namespace: 'sched-1', pod: podAntiAffinity(name, 'sched-1') }),
    },
    {
      name: 'TopologySpreading',
      namespaces: ['sched-bench'],
      nodes,
      zones: ['moon-1', 'moon-2', 'moon-3'],
      initPods: scale(5000),
      initPod: (name, node) => ({ namespace: 'sched-bench', pod: podDefault(name, 'sched-bench', node) }),
      measurePods: scale(2000),
      measurePod: (name) => ({ namespace: 'sched-bench', pod: podTopologySpreading(name, 'sched-bench') }),
    },
    {
      name: 'SchedulingWithMixedChurn',
      namespaces: ['sched-bench'],
      nodes,
      zones: ['zone-0', 'zone-1', 'zone-2'],
      initPods: 0,
      initPod: (name, node) => ({ namespace: 'sched-bench', pod: podDefault(name, 'sched-bench', node) }),
      measurePods: scale(2000),
      measurePod: (name) => ({ namespace: 'sched-bench', pod: podDefault(name, 'sched-bench') }),
      setupObjects: [{ path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'bench-high' }, value: 10 } }],
      churn: {
        intervalMs: 1000,
        objects: (round) => [
          { path: '/api/v1/nodes', body: nodeManifest(`churn-node-${round}`, 'zone-0') },
          { path: '/api/v1/namespaces/sched-bench/pods', body: podHighPriorityLargeCpu(`churn-pod-${round}`, 'sched-bench') },
          {
            path: '/api/v1/namespaces/sched-bench/services',
            body: { apiVersion: 'v1', kind: 'Service', metadata: { name: `churn-svc-${round}`, namespace: 'sched-bench' }, spec: { selector: { app: 'churn' }, ports: [{ port: 80, targetPort: 8080 }] } },
          },
        ],
      },
    },
  ];
}
