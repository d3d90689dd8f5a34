// The HPA table's TARGETS cell, as Kubernetes 1.32's printers.go formatHPAMetrics prints it, for v2 and v1.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { columnsOf } from '../../endpoints/table.js';
import { formatHPAMetrics } from './cluster-misc.js';
import { horizontalpodautoscalersV1 } from './hpa-v1.js';

const cpu50: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const mem: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
const pods: MetricSpec = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };

test('resource metrics are named, current values unknown until the status has them', () => {
  assert.equal(formatHPAMetrics([], []), '<none>');
  assert.equal(formatHPAMetrics([cpu50], undefined), 'cpu: <unknown>/50%');
  const status: MetricStatus[] = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 150 } } }, { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } }];
  assert.equal(formatHPAMetrics([cpu50, mem], status), 'cpu: 150%/50%, memory: 300Mi/500Mi');
});

test('more than two metrics are summarised', () => {
  assert.equal(formatHPAMetrics([cpu50, mem, pods], []), 'cpu: <unknown>/50%, memory: <unknown>/500Mi + 1 more...');
});

test('an autoscaling/v1 HPA prints its targets as the v2 form does, with the metrics v1 keeps in annotations', () => {
  const targets = columnsOf(horizontalpodautoscalersV1).find((c) => c.name === 'Targets')!;
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': JSON.stringify([mem]) } },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 150 },
  };
  assert.equal(targets.cell(v1 as never, 0), 'cpu: 150%/50%, memory: <unknown>/500Mi');
});
