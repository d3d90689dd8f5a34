// The HPA replica calculation on an injected "now": utilization and average value, the tolerance,
// missing and unready pods, ignored pending/deleted pods, a missing request.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { calculateResourceReplicas, type PodMetric } from './replica-calculator.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function pod(name: string, opts: { request?: string; phase?: string; ready?: boolean; startedAgoMs?: number; readySinceAgoMs?: number } = {}): Pod {
  const started = NOW - (opts.startedAgoMs ?? 3_600_000);
  return {
    metadata: { name },
    spec: { containers: [{ name: 'c', resources: opts.request === undefined ? {} : { requests: { cpu: opts.request, memory: opts.request } } }] },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: iso(started),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: iso(NOW - (opts.readySinceAgoMs ?? 3_000_000)) }],
    },
  };
}
const metrics = (values: Record<string, number>) => new Map<string, PodMetric>(Object.entries(values).map(([k, value]) => [k, { value, timestampMs: NOW, windowMs: 10_000 }]));
const util = (percent: number) => ({ type: 'Utilization' as const, percent });

describe('calculateResourceReplicas', () => {
  it('scales by utilization against requests', () => {
    const pods = [pod('a', { request: '1' }), pod('b', { request: '1' })];
    const r = calculateResourceReplicas({ currentReplicas: 2, resource: 'cpu', target: util(50), pods, metrics: metrics({ a: 1000, b: 500 }), nowMs: NOW });
    assert.equal(r.utilization, 75);
    assert.equal(r.replicas, 3);
    assert.equal(r.rawAverage, 750);
  });
  it('keeps the count within the tolerance', () => {
    const pods = [pod('a', { request: '1' })];
    assert.equal(calculateResourceReplicas({ currentReplicas: 1, resource: 'cpu', target: util(50), pods, metrics: metrics({ a: 540 }), nowMs: NOW }).replicas, 1);
  });
  it('scales by average value', () => {
    const pods = [pod('a'), pod('b')];
    const r = calculateResourceReplicas({ currentReplicas: 2, resource: 'memory', target: { type: 'AverageValue', milli: 100_000 }, pods, metrics: metrics({ a: 300_000, b: 100_000 }), nowMs: NOW });
    assert.equal(r.replicas, 4);
  });
  it('counts missing pods as 100 % on a scale-down and 0 % on a scale-up', () => {
    const pods = [pod('a', { request: '1' }), pod('b', { request: '1' }), pod('c', { request: '1' })];
    // Scale-down: a and b at 10 % would give 1, but c counted at 100 % keeps 3 × 40 % / 50 % → 3.
    assert.equal(calculateResourceReplicas({ currentReplicas: 3, resource: 'cpu', target: util(50), pods, metrics: metrics({ a: 100, b: 100 }), nowMs: NOW }).replicas, 3);
    // Scale-up: a and b at 200 %, c at 0 % → 3 × 133 % / 50 % → 8.
    assert.equal(calculateResourceReplicas({ currentReplicas: 3, resource: 'cpu', target: util(50), pods, metrics: metrics({ a: 2000, b: 2000 }), nowMs: NOW }).replicas, 8);
  });
  it('counts unready pods as 0 % on a scale-up and ignores pending and deleted pods', () => {
    const pods = [pod('a', { request: '1' }), pod('b', { request: '1', ready: false, startedAgoMs: 60_000, readySinceAgoMs: 60_000 }), pod('p', { request: '1', phase: 'Pending' })];
    const r = calculateResourceReplicas({ currentReplicas: 2, resource: 'cpu', target: util(50), pods, metrics: metrics({ a: 1500, b: 1000 }), nowMs: NOW });
    // a at 150 % (ratio 3); b unready counted as 0 → 75 % (ratio 1.5) → ceil(1.5 × 2) = 3.
    assert.equal(r.replicas, 3);
    assert.equal(r.utilization, 150);
  });
  it('refuses pods without the request, and no metrics', () => {
    assert.throws(() => calculateResourceReplicas({ currentReplicas: 1, resource: 'cpu', target: util(50), pods: [pod('a')], metrics: metrics({ a: 1 }), nowMs: NOW }), /missing request for cpu in container c of Pod a/);
    assert.throws(() => calculateResourceReplicas({ currentReplicas: 1, resource: 'cpu', target: util(50), pods: [pod('a', { request: '1' })], metrics: metrics({}), nowMs: NOW }), /did not receive metrics/);
  });
});
