import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyContext } from '../resource.js';
import type { PodObj } from './pod.js';
import { POD_UPDATE_FORBIDDEN_MESSAGE, podStatusStrategy, podStrategy, podSummary, pods } from './pod.js';
import { imageTag, podQOSClass } from './pod-spec.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z', namespace: 'default' };

const pod = (spec: Partial<NonNullable<PodObj['spec']>> = {}): PodObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

const created = (p: PodObj): PodObj => {
  podStrategy.defaults!(p);
  podStrategy.prepareForCreate!(p, ctx);
  return p;
};

const messages = (p: PodObj): string[] => podStrategy.validate!(p, ctx).map((e) => e.toString());

test('pod defaults follow SetDefaults_Pod', () => {
  const p = created(pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'd', image: 'busybox:1.36' }] }));
  const spec = p.spec!;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.serviceAccountName, undefined);
  const [c, d] = spec.containers;
  assert.equal(c!.terminationMessagePath, '/dev/termination-log');
  assert.equal(c!.terminationMessagePolicy, 'File');
  assert.equal(c!.imagePullPolicy, 'Always');
  assert.equal(c!.ports![0]!.protocol, 'TCP');
  assert.equal(d!.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('image tags decide the pull policy', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:latest'), 'latest');
  assert.equal(imageTag('localhost:5000/app'), 'latest');
  assert.equal(imageTag('localhost:5000/app:v1'), 'v1');
  assert.equal(imageTag('app@sha256:abc'), '');
});

test('QoS class from requests and limits', () => {
  assert.equal(podQOSClass({ containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } } }] }), 'Guaranteed');
  assert.equal(podQOSClass({ containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] }), 'Burstable');
  assert.equal(podQOSClass({ containers: [{ name: 'c' }] }), 'BestEffort');
  // Requests default to limits for pods, so limits alone make a Guaranteed pod.
  const p = created(pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '64Mi' } } }] }));
  assert.equal(p.status?.qosClass, 'Guaranteed');
});

test('pod validation reports Kubernetes messages and paths', () => {
  assert.deepEqual(messages(created(pod({ containers: [] }))), ['spec.containers: Required value']);
  const bad = created(
    pod({
      containers: [
        { name: 'Web', image: '' },
        { name: 'db', image: 'x', ports: [{ containerPort: 70000 }] },
        { name: 'db', image: 'x' },
      ],
      restartPolicy: 'Sometimes',
      volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }],
    }),
  );
  const msgs = messages(bad);
  assert.ok(msgs.includes('spec.volumes[1].name: Duplicate value: "v"'), msgs.join('\n'));
  assert.ok(
    msgs.includes(
      `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ),
    msgs.join('\n'),
  );
  assert.ok(msgs.includes('spec.containers[0].image: Required value'));
  assert.ok(msgs.includes('spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'));
  assert.ok(msgs.includes('spec.containers[2].name: Duplicate value: "db"'));
  assert.ok(msgs.includes('spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'));
});

test('volume mounts must name a volume', () => {
  const p = created(pod({ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }));
  assert.deepEqual(messages(p), ['spec.containers[0].volumeMounts[0].name: Not found: "data"']);
});

test('pod updates may change only images and a few fields', () => {
  const old = created(pod());
  const ok = structuredClone(old);
  ok.spec!.containers[0]!.image = 'nginx:1.27';
  ok.spec!.activeDeadlineSeconds = 100;
  assert.deepEqual(podStrategy.validateUpdate!(ok, old, ctx), []);

  const bad = structuredClone(old);
  bad.spec!.restartPolicy = 'Never';
  const errs = podStrategy.validateUpdate!(bad, old, ctx).map((e) => e.toString());
  assert.deepEqual(errs, [`spec: Forbidden: ${POD_UPDATE_FORBIDDEN_MESSAGE}`]);
  assert.match(POD_UPDATE_FORBIDDEN_MESSAGE, /^pod updates may not change fields other than `spec.containers\[\*\].image`,/);
});

test('the main endpoint keeps status; the status endpoint keeps spec', () => {
  const old = created(pod());
  old.status = { phase: 'Running' };
  const upd = structuredClone(old);
  upd.status = { phase: 'Failed' };
  podStrategy.prepareForUpdate!(upd, old, ctx);
  assert.equal(upd.status?.phase, 'Running');

  const st = structuredClone(old);
  st.spec!.containers[0]!.image = 'other';
  st.status = { phase: 'Succeeded' };
  podStatusStrategy.prepareForUpdate!(st, old, ctx);
  assert.equal(st.spec!.containers[0]!.image, 'nginx');
  assert.equal(st.status?.phase, 'Succeeded');
});

test('STATUS column as kubectl computes it', () => {
  const base = (status: PodObj['status'], extra: Partial<PodObj> = {}): PodObj => ({ ...pod({ initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] }), status, ...extra });
  assert.equal(podSummary(base({ phase: 'Pending' })).status, 'Pending');
  assert.equal(
    podSummary(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] })).status,
    'Init:0/2',
  );
  assert.equal(
    podSummary(
      base({
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i1', image: 'x', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      }),
    ).status,
    'Init:CrashLoopBackOff',
  );
  assert.equal(
    podSummary(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] })).status,
    'Init:ExitCode:3',
  );
  const waiting = base({ phase: 'Pending', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] });
  assert.equal(podSummary(waiting).status, 'ImagePullBackOff');
  const running = base({ phase: 'Running', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: 1, state: { running: {} } }] });
  assert.deepEqual(podSummary(running), { ready: '1/1', status: 'Running', restarts: 1, lastRestart: undefined });
  const done = base({ phase: 'Succeeded', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.equal(podSummary(done).status, 'Completed');
  const killed = base({ phase: 'Failed', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] });
  assert.equal(podSummary(killed).status, 'Signal:9');
  const evicted = base({ phase: 'Failed', reason: 'Evicted' });
  assert.equal(podSummary(evicted).status, 'Evicted');
  const terminating = { ...running, metadata: { ...running.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
  assert.equal(podSummary(terminating).status, 'Terminating');
});

test('pod table cells', () => {
  const now = Date.parse('2024-01-01T01:00:00Z');
  const p: PodObj = {
    ...pod(),
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2024-01-01T00:55:00Z' },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.0.0.5' }],
      containerStatuses: [
        { name: 'c', image: 'x', imageID: '', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:58:00Z' } } },
      ],
    },
  };
  const cells = Object.fromEntries((pods.columns ?? []).map((c) => [c.name, c.cell(p, now)]));
  assert.deepEqual(cells, {
    Ready: '1/1',
    Status: 'Running',
    Restarts: '2 (2m ago)',
    Age: '5m',
    IP: '10.0.0.5',
    Node: '<none>',
    'Nominated Node': '<none>',
    'Readiness Gates': '<none>',
  });
  assert.equal(pods.fields!['spec.hostNetwork']!(p), 'false');
  assert.equal(pods.fields!['status.podIP']!(p), '10.0.0.5');
});

test('a pod cannot become, or stop being, a mirror pod (ValidatePodSpecificAnnotationUpdates)', () => {
  const mirror = created(pod());
  mirror.metadata = { ...mirror.metadata, annotations: { 'kubernetes.io/config.mirror': 'h' } };
  const plain = created(pod());
  const withAnnotations = (p: PodObj, annotations: Record<string, string>): PodObj => ({ ...structuredClone(p), metadata: { ...p.metadata, annotations } });
  const errors = (next: PodObj, old: PodObj) => [
    ...podStrategy.validateUpdate!(next, old, ctx).map((e) => e.toString()),
    ...podStatusStrategy.validateUpdate!(next, old, ctx).map((e) => e.toString()),
  ];
  assert.deepEqual(errors(withAnnotations(mirror, { 'kubernetes.io/config.mirror': 'h', other: 'x' }), mirror), []);
  assert.deepEqual(errors(withAnnotations(mirror, {}), mirror), [
    'metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation',
    'metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation',
  ]);
  assert.match(errors(withAnnotations(mirror, { 'kubernetes.io/config.mirror': 'other' }), mirror)[0] ?? '', /may not remove or update mirror pod annotation/);
  assert.match(errors(withAnnotations(plain, { 'kubernetes.io/config.mirror': 'h' }), plain)[0] ?? '', /may not add mirror pod annotation/);
});
