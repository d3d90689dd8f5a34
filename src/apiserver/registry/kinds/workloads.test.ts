import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyContext } from '../resource.js';
import type { DeploymentObj } from './workloads.js';
import { deploymentStrategy, deployments, replicationcontrollers, statefulsets } from './workloads.js';
import type { RCObj, StatefulSetObj } from './workloads.js';

const ctx: StrategyContext = { now: '2024-01-01T00:00:00Z', namespace: 'default' };

const deploy = (selector: Record<string, string>, labels: Record<string, string>): DeploymentObj => ({
  metadata: { name: 'd', namespace: 'default' },
  spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test('deployment defaults', () => {
  const d = deploy({ app: 'a' }, { app: 'a' });
  deploymentStrategy.defaults!(d);
  deploymentStrategy.prepareForCreate!(d, ctx);
  assert.equal(d.spec!.replicas, 1);
  assert.deepEqual(d.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec!.revisionHistoryLimit, 10);
  assert.equal(d.spec!.progressDeadlineSeconds, 600);
  assert.equal(d.spec!.template.spec!.restartPolicy, 'Always');
  assert.equal(d.spec!.template.spec!.enableServiceLinks, undefined);
  assert.deepEqual(d.status, {});
  assert.deepEqual(deploymentStrategy.validate!(d, ctx), []);
  const cells = (deployments.columns ?? []).filter((c) => !c.priority).map((c) => c.cell(d, 0));
  assert.deepEqual(cells, ['0/1', 0, 0, '<unknown>']);
});

test('a selector that does not match the template labels is rejected', () => {
  const d = deploy({ app: 'a' }, { app: 'b' });
  deploymentStrategy.defaults!(d);
  const msgs = deploymentStrategy.validate!(d, ctx).map((e) => e.toString());
  assert.deepEqual(msgs, ['spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`']);
  const none: DeploymentObj = { metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } as DeploymentObj['spec'] };
  deploymentStrategy.defaults!(none);
  assert.ok(deploymentStrategy.validate!(none, ctx).map((e) => e.toString()).includes('spec.selector: Required value'));
});

test('the selector is immutable; annotations bump the generation', () => {
  const old = deploy({ app: 'a' }, { app: 'a', v: '1' });
  deploymentStrategy.defaults!(old);
  const next = structuredClone(old);
  next.spec!.selector = { matchLabels: { app: 'a', v: '1' } };
  const msgs = deploymentStrategy.validateUpdate!(next, old, ctx).map((e) => e.toString());
  assert.equal(msgs.length, 1);
  assert.match(msgs[0]!, /^spec\.selector: Invalid value: .*: field is immutable$/);
  const annotated = structuredClone(old);
  annotated.metadata!.annotations = { x: 'y' };
  assert.equal(deploymentStrategy.generationChanged!(annotated, old), true);
  assert.equal(deploymentStrategy.generationChanged!(structuredClone(old), old), false);
});

test('replication controllers default their selector and labels from the template', () => {
  const rc: RCObj = { metadata: { name: 'r' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  replicationcontrollers.strategy.defaults!(rc as never);
  assert.deepEqual(rc.spec!.selector, { app: 'x' });
  assert.deepEqual(rc.metadata!.labels, { app: 'x' });
  assert.equal(rc.spec!.replicas, 1);
});

test('a StatefulSet mounts its claim templates as volumes; other names are still not found', () => {
  const strategy = statefulsets.strategy;
  const sts = (mount: string): StatefulSetObj => ({
    metadata: { name: 's', namespace: 'default' },
    spec: {
      serviceName: 's',
      selector: { matchLabels: { app: 's' } },
      template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: mount, mountPath: '/data' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } }],
    },
  });
  const ok = sts('data');
  strategy.defaults!(ok);
  assert.deepEqual(strategy.validate!(ok, ctx), []);
  const bad = sts('other');
  strategy.defaults!(bad);
  assert.deepEqual(strategy.validate!(bad, ctx).map((e) => e.toString()), ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "other"']);
});
