// autoscaling/v1 horizontalpodautoscalers (what `kubectl autoscale` posts), served from the
// autoscaling/v2 storage through a conversion, as Kubernetes' pkg/apis/autoscaling/v1 conversion
// does: targetCPUUtilizationPercentage ↔ a Resource cpu Utilization metric (none: 80 %),
// currentCPUUtilizationPercentage ↔ the cpu metric's current averageUtilization; what v1 cannot
// express (other metrics, behavior, conditions, other current metrics) rides in the
// autoscaling.alpha.kubernetes.io/* annotations so a v1 round trip loses nothing.

import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import type { KubeObject } from '../../../api/object.js';
import type { Strategy, StorageConversion } from '../resource.js';
import { formatHPAMetrics, validateHpaBounds } from './cluster-misc.js';
import { ageColumn, define, keepStatus, statusSubresource } from './util.js';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const DEFAULT_CPU = 80;

const isCpuUtilization = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization';
const isCpuStatus = (m: MetricStatus) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current.averageUtilization !== undefined;

function parseAnnotation<T>(annotations: Record<string, string>, key: string): T | undefined {
  const text = annotations[key];
  delete annotations[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** autoscaling/v2 (stored) → autoscaling/v1 (served). */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const v2 = obj as HpaV2;
  const annotations: Record<string, string> = { ...(v2.metadata?.annotations ?? {}) };
  const metrics = v2.spec?.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length > 0) annotations[METRICS] = JSON.stringify(others);
  if (v2.spec?.behavior) annotations[BEHAVIOR] = JSON.stringify(v2.spec.behavior);
  const current = v2.status?.currentMetrics ?? [];
  const currentCpu = current.find(isCpuStatus);
  const otherCurrent = current.filter((m) => m !== currentCpu);
  if (otherCurrent.length > 0) annotations[CURRENT_METRICS] = JSON.stringify(otherCurrent);
  if (v2.status?.conditions?.length) annotations[CONDITIONS] = JSON.stringify(v2.status.conditions);
  const v1: HpaV1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...v2.metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      scaleTargetRef: v2.spec!.scaleTargetRef,
      ...(v2.spec?.minReplicas !== undefined ? { minReplicas: v2.spec.minReplicas } : {}),
      maxReplicas: v2.spec?.maxReplicas ?? 0,
      ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource!.target.averageUtilization } : {}),
    },
    status: {
      currentReplicas: v2.status?.currentReplicas ?? 0,
      desiredReplicas: v2.status?.desiredReplicas ?? 0,
      ...(v2.status?.observedGeneration !== undefined ? { observedGeneration: v2.status.observedGeneration } : {}),
      ...(v2.status?.lastScaleTime ? { lastScaleTime: v2.status.lastScaleTime } : {}),
      ...(currentCpu ? { currentCPUUtilizationPercentage: currentCpu.resource!.current.averageUtilization } : {}),
    },
  };
  if (!v1.metadata?.annotations) delete v1.metadata?.annotations;
  return v1 as KubeObject;
}

/** autoscaling/v1 (served) → autoscaling/v2 (stored). */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const v1 = obj as HpaV1;
  const annotations: Record<string, string> = { ...(v1.metadata?.annotations ?? {}) };
  const others = parseAnnotation<MetricSpec[]>(annotations, METRICS) ?? [];
  const behavior = parseAnnotation<NonNullable<HpaV2['spec']>['behavior']>(annotations, BEHAVIOR);
  const otherCurrent = parseAnnotation<MetricStatus[]>(annotations, CURRENT_METRICS) ?? [];
  const conditions = parseAnnotation<NonNullable<HpaV2['status']>['conditions']>(annotations, CONDITIONS);
  const target = v1.spec?.targetCPUUtilizationPercentage;
  const cpu: MetricSpec[] =
    target !== undefined || others.length === 0 ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target ?? DEFAULT_CPU } } }] : [];
  const currentCpu = v1.status?.currentCPUUtilizationPercentage;
  const currentMetrics: MetricStatus[] = [...(currentCpu !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } }] : []), ...otherCurrent];
  const metadata = { ...v1.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  const v2: HpaV2 = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: v1.spec!.scaleTargetRef,
      ...(v1.spec?.minReplicas !== undefined ? { minReplicas: v1.spec.minReplicas } : {}),
      maxReplicas: v1.spec?.maxReplicas ?? 0,
      metrics: [...cpu, ...others],
      ...(behavior ? { behavior } : {}),
    },
    status: {
      currentReplicas: v1.status?.currentReplicas ?? 0,
      desiredReplicas: v1.status?.desiredReplicas ?? 0,
      ...(v1.status?.observedGeneration !== undefined ? { observedGeneration: v1.status.observedGeneration } : {}),
      ...(v1.status?.lastScaleTime ? { lastScaleTime: v1.status.lastScaleTime } : {}),
      ...(currentMetrics.length > 0 ? { currentMetrics } : {}),
      ...(conditions ? { conditions } : {}),
    },
  };
  return v2 as KubeObject;
}

const conversion: StorageConversion = { toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 };

function validateHpaV1(hpa: HpaV1): FieldError[] {
  const errs = validateHpaBounds(hpa.spec);
  const target = hpa.spec?.targetCPUUtilizationPercentage;
  if (target !== undefined && target < 1) errs.push(field.invalid(field.path('spec', 'targetCPUUtilizationPercentage'), target, 'must be greater than 0'));
  return errs;
}

const strategy: Strategy<HpaV1> = {
  defaults(hpa) {
    if (hpa.spec) hpa.spec.minReplicas ??= 1;
  },
  prepareForCreate(hpa) {
    hpa.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  prepareForUpdate: keepStatus,
  validate: validateHpaV1,
  validateUpdate: validateHpaV1,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};

export const horizontalpodautoscalersV1 = define<HpaV1>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  strategy,
  hasStatus: true,
  storageConversion: conversion,
  columns: [
    { name: 'Reference', type: 'string', description: 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.', cell: (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}` },
    {
      name: 'Targets',
      type: 'string',
      description: 'the target average CPU utilization (represented as a percentage of requested CPU) over all the pods.',
      // as Kubernetes prints every version: through the full (v2) form, so metrics v1 keeps in annotations show too
      cell: (h) => {
        const v2 = hpaV1ToV2(h) as HpaV2;
        return formatHPAMetrics(v2.spec?.metrics, v2.status?.currentMetrics);
      },
    },
    { name: 'MinPods', type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.', cell: (h) => (h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>') },
    { name: 'MaxPods', type: 'string', description: 'maxReplicas is the upper limit for the number of pods that can be set by the autoscaler.', cell: (h) => h.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', type: 'string', description: 'current number of replicas of pods managed by this autoscaler.', cell: (h) => h.status?.currentReplicas ?? 0 },
    ageColumn(),
  ],
  subresources: [statusSubresource('HorizontalPodAutoscaler')],
});
