// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler, autoscaling/v2), every
// --horizontal-pod-autoscaler-sync-period per HPA: reads the target's scale subresource
// (Deployment, ReplicaSet, StatefulSet, ReplicationController), computes a proposal per Resource
// metric from metrics.k8s.io PodMetrics (replica-calculator.ts) and takes the largest, stabilizes
// and limits it (normalize.ts), writes the scale when it changes, and keeps the status:
// currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, and the AbleToScale,
// ScalingActive and ScalingLimited conditions with Kubernetes' reasons; events SuccessfulRescale,
// FailedGetScale, FailedRescale, FailedGetResourceMetric, FailedComputeMetricsReplicas.

import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseSelector } from '../../api/labels/index.js';
import { formatTime } from '../../api/meta.js';
import { Quantity } from '../../api/quantity.js';
import { messageOf } from '../../api/status.js';
import type { EventRecorder } from '../../client/events/index.js';
import type { SharedIndexInformer } from '../../client/informer/index.js';
import { resources, type ResourceDescriptor } from '../../client/rest/index.js';
import { QueueController, splitKey } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';
import { fetchResourceMetrics, resourceMetricStatus } from './metrics.js';
import { ReplicaNormalizer } from './normalize.js';
import { calculateResourceReplicas, type ResourceTarget } from './replica-calculator.js';

interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata?: HorizontalPodAutoscaler['metadata'];
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

const TARGETS: Record<string, ResourceDescriptor> = {
  Deployment: resources.DEPLOYMENTS,
  ReplicaSet: resources.REPLICASETS,
  StatefulSet: resources.STATEFULSETS,
  ReplicationController: resources.REPLICATIONCONTROLLERS,
};

type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

interface MetricProposal {
  replicas: number;
  name: string;
  status: MetricStatus;
}

export class HorizontalPodAutoscalerController extends QueueController {
  private readonly hpas: SharedIndexInformer<HorizontalPodAutoscaler>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly normalizer: ReplicaNormalizer;

  constructor(ctx: ControllerContext) {
    super('horizontal-pod-autoscaler', ctx, { workers: 5 });
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.normalizer = new ReplicaNormalizer(() => ctx.clock.now(), ctx.settings.hpaDownscaleStabilizationMs);
    this.hpas = ctx.informers.forResource<HorizontalPodAutoscaler>(resources.HORIZONTALPODAUTOSCALERS);
    this.pods = ctx.informers.forResource<Pod>(resources.PODS);
    this.hpas.addEventHandler({ onAdd: (h) => this.enqueue(h), onUpdate: (old, h) => old.spec !== h.spec && JSON.stringify(old.spec) !== JSON.stringify(h.spec) && this.enqueue(h) });
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.hpas.lister().namespace(namespace).get(name);
    if (!cached) {
      this.normalizer.forget(key);
      return;
    }
    // Level-triggered on a period: look again after the sync period whatever happens now.
    this.enqueueAfter(key, this.ctx.settings.hpaSyncPeriodMs);
    const hpa = structuredClone(cached);
    try {
      await this.sync(key, hpa);
    } finally {
      if (JSON.stringify(hpa.status) !== JSON.stringify(cached.status)) {
        await this.ctx.client.resource<HorizontalPodAutoscaler>(resources.HORIZONTALPODAUTOSCALERS).namespace(namespace).updateStatus(hpa);
      }
    }
  }

  private event(hpa: HorizontalPodAutoscaler, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...hpa, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' }, type, reason, message);
  }

  private setCondition(hpa: HorizontalPodAutoscaler, type: ConditionType, status: 'True' | 'False', reason: string, message: string): void {
    const st = (hpa.status ??= { desiredReplicas: 0 });
    const conditions = (st.conditions ??= []);
    const existing = conditions.find((c) => c.type === type);
    const now = formatTime(this.ctx.clock.now());
    if (existing) {
      if (existing.status !== status) existing.lastTransitionTime = now;
      Object.assign(existing, { status, reason, message });
    } else {
      conditions.push({ type, status, reason, message, lastTransitionTime: now } satisfies HorizontalPodAutoscalerCondition);
    }
  }

  private async sync(key: string, hpa: HorizontalPodAutoscaler): Promise<void> {
    const spec = hpa.spec!;
    const namespace = hpa.metadata?.namespace ?? '';
    const ref = spec.scaleTargetRef;
    const target = TARGETS[ref.kind];
    const status = (hpa.status ??= { desiredReplicas: 0 });
    status.observedGeneration = hpa.metadata?.generation;
    let scale: Scale;
    try {
      const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
      if (!target || target.group !== group) throw new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
      scale = await this.ctx.client.resource(target).namespace(namespace).getSubresource<Scale>(ref.name, 'scale');
    } catch (err) {
      const message = `the HPA controller was unable to get the target's current scale: ${messageOf(err)}`;
      this.setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', message);
      this.event(hpa, 'Warning', 'FailedGetScale', messageOf(err));
      throw new Error(`failed to query scale subresource for ${ref.kind}/${namespace}/${ref.name}: ${messageOf(err)}`);
    }
    this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = scale.spec?.replicas ?? 0;
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;
    let desired: number;
    let rescaleReason = '';
    let statuses: MetricStatus[] | undefined = status.currentMetrics ?? undefined;
    if (current === 0 && min !== 0) {
      desired = 0;
      this.setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      desired = max;
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const computed = await this.computeReplicasForMetrics(hpa, scale, current);
      statuses = computed.statuses;
      if (computed.replicas < 0) {
        status.currentReplicas = current;
        status.currentMetrics = statuses;
        this.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${ref.kind}/${namespace}/${ref.name}: ${computed.error}`);
      }
      const n = this.normalizer.normalize({ key, current, proposed: computed.replicas, min, max, behavior: spec.behavior });
      this.setCondition(hpa, 'AbleToScale', 'True', n.ableToScale.reason, n.ableToScale.message);
      this.setCondition(hpa, 'ScalingLimited', n.limited ? 'True' : 'False', n.scalingLimited.reason, n.scalingLimited.message);
      desired = n.desired;
      rescaleReason = desired > current ? `${computed.metric} above target` : 'All metrics below target';
    }
    const rescale = desired !== current && !(current === 0 && min !== 0);
    if (rescale) {
      try {
        await this.ctx.client.resource(target!).namespace(namespace).updateSubresource<Scale>(ref.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desired } });
      } catch (err) {
        this.setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${messageOf(err)}`);
        this.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${messageOf(err)}`);
        status.currentReplicas = current;
        status.currentMetrics = statuses;
        throw err;
      }
      this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      this.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
      this.normalizer.recordScale(key, spec.behavior, current, desired);
      status.lastScaleTime = formatTime(this.ctx.clock.now());
      this.log.info('rescaled', { key, from: current, to: desired, reason: rescaleReason });
    }
    status.currentReplicas = current;
    status.desiredReplicas = desired;
    status.currentMetrics = statuses;
  }

  /** computeReplicasForMetrics: the largest proposal; −1 when every metric (or, on a scale-down, any) failed. */
  private async computeReplicasForMetrics(
    hpa: HorizontalPodAutoscaler,
    scale: Scale,
    current: number,
  ): Promise<{ replicas: number; metric: string; statuses: MetricStatus[]; error: string }> {
    const specs = hpa.spec?.metrics ?? [];
    const selectorText = scale.status?.selector;
    if (!selectorText) {
      const error = 'selector is required';
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', 'the HPA target\'s scale is missing a selector');
      this.event(hpa, 'Warning', 'SelectorRequired', error);
      return { replicas: -1, metric: '', statuses: [], error };
    }
    let best: MetricProposal | undefined;
    let invalid = 0;
    let firstError = '';
    let firstFailure: { reason: string; message: string } | undefined;
    const statuses: MetricStatus[] = [];
    for (const metric of specs) {
      try {
        const p = await this.resourceProposal(hpa, metric, selectorText, current);
        statuses.push(p.status);
        if (!best || p.replicas > best.replicas) best = p;
      } catch (err) {
        invalid++;
        statuses.push({ type: metric.type });
        const reason = metric.type === 'Resource' ? 'FailedGetResourceMetric' : `FailedGet${metric.type}Metric`;
        this.event(hpa, 'Warning', reason, messageOf(err));
        if (!firstFailure) {
          firstError = messageOf(err);
          firstFailure = { reason, message: `the HPA was unable to compute the replica count: ${firstError}` };
        }
      }
    }
    if (invalid >= specs.length || (invalid > 0 && (best?.replicas ?? 0) < current)) {
      this.setCondition(hpa, 'ScalingActive', 'False', firstFailure!.reason, firstFailure!.message);
      return { replicas: -1, metric: '', statuses, error: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}` };
    }
    this.setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best!.name}`);
    return { replicas: best!.replicas, metric: best!.name, statuses, error: '' };
  }

  private async resourceProposal(hpa: HorizontalPodAutoscaler, metric: MetricSpec, selectorText: string, current: number): Promise<MetricProposal> {
    if (metric.type !== 'Resource' || !metric.resource) throw new Error(`unsupported metric source type "${metric.type}"`);
    const { name, target } = metric.resource;
    let t: ResourceTarget;
    if (target.averageValue !== undefined) t = { type: 'AverageValue', milli: quantityMilli(target.averageValue) };
    else if (target.averageUtilization !== undefined) t = { type: 'Utilization', percent: target.averageUtilization };
    else throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    const what = t.type === 'Utilization' ? 'utilization' : 'usage';
    const namespace = hpa.metadata?.namespace ?? '';
    try {
      const selector = parseSelector(selectorText);
      const pods = this.pods.lister().namespace(namespace).list().filter((p) => selector.matches(p.metadata?.labels ?? {}));
      const metrics = await fetchResourceMetrics(this.ctx.client, namespace, selectorText, name);
      const r = calculateResourceReplicas({ currentReplicas: current, resource: name, target: t, pods, metrics, nowMs: this.ctx.clock.now() });
      return {
        replicas: r.replicas,
        name: t.type === 'Utilization' ? `${name} resource utilization (percentage of request)` : `${name} resource`,
        status: resourceMetricStatus(name, r.rawAverage, t.type === 'Utilization' ? r.utilization : undefined),
      };
    } catch (err) {
      throw new Error(`failed to get ${name} ${what}: ${messageOf(err)}`);
    }
  }
}

function quantityMilli(v: unknown): number {
  return Quantity.fromJSON(v).milliValue();
}
