// The HPA table's TARGETS cell, as Kubernetes 1.32's printers.go formatHPAMetrics prints it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { formatHPAMetrics } from './cluster-misc.js';

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
