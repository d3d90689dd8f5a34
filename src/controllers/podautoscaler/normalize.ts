// From a metric's proposal to the replicas the HPA sets (pkg/controller/podautoscaler/
// horizontal.go normalizeDesiredReplicas[WithBehaviors]): stabilization over past recommendations
// (without behavior: the highest of the scale-down window, default 300 s; with behavior: the
// scale-up and scale-down windows), then limits — min/max replicas and, without behavior, a
// scale-up of at most max(2 × current, 4); with behavior, the scale-up and scale-down policies
// over the scale events of each policy's period (selectPolicy Max, Min or Disabled). Each step
// reports the AbleToScale and ScalingLimited conditions' reasons. Time is the injected clock's.

import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2.js';

export interface ConditionReport {
  reason: string;
  message: string;
}

export interface NormalizeResult {
  desired: number;
  ableToScale: ConditionReport;
  /** True when the limits changed the stabilized recommendation. */
  limited: boolean;
  scalingLimited: ConditionReport;
}

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
}

const DEFAULT_SCALE_UP: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_SCALE_DOWN_POLICIES: NonNullable<HPAScalingRules['policies']> = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: the behavior with the API's defaults filled in. */
export function withBehaviorDefaults(b: HorizontalPodAutoscalerBehavior, downscaleWindowMs: number): { up: Required<HPAScalingRules>; down: Required<HPAScalingRules> } {
  const up = b.scaleUp ?? {};
  const down = b.scaleDown ?? {};
  return {
    up: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? DEFAULT_SCALE_UP.stabilizationWindowSeconds,
      selectPolicy: up.selectPolicy ?? 'Max',
      policies: up.policies ?? DEFAULT_SCALE_UP.policies,
    },
    down: {
      stabilizationWindowSeconds: down.stabilizationWindowSeconds ?? Math.round(downscaleWindowMs / 1000),
      selectPolicy: down.selectPolicy ?? 'Max',
      policies: down.policies ?? DEFAULT_SCALE_DOWN_POLICIES,
    },
  };
}

const READY: ConditionReport = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN: ConditionReport = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const DOWN_STABILIZED: ConditionReport = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED: ConditionReport = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const TOO_FEW: ConditionReport = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const TOO_MANY: ConditionReport = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const UP_LIMIT: ConditionReport = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT: ConditionReport = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

export interface NormalizeInput {
  key: string;
  current: number;
  proposed: number;
  min: number;
  max: number;
  behavior?: HorizontalPodAutoscalerBehavior | null;
}

/** Per-HPA memory of recommendations and scale events, as the controller keeps it. */
export class ReplicaNormalizer {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly upEvents = new Map<string, ScaleEvent[]>();
  private readonly downEvents = new Map<string, ScaleEvent[]>();

  constructor(
    private readonly now: () => number,
    private readonly downscaleWindowMs: number,
  ) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.upEvents.delete(key);
    this.downEvents.delete(key);
  }

  normalize(input: NormalizeInput): NormalizeResult {
    return input.behavior ? this.withBehavior(input, input.behavior) : this.plain(input);
  }

  /** normalizeDesiredReplicas. */
  private plain({ key, current, proposed, min, max }: NormalizeInput): NormalizeResult {
    const now = this.now();
    const cutoff = now - this.downscaleWindowMs;
    const recs = this.recommendations.get(key) ?? [];
    let stabilized = proposed;
    let slot = -1;
    recs.forEach((r, i) => {
      if (r.at > cutoff) stabilized = Math.max(stabilized, r.replicas);
      else slot = i;
    });
    if (slot >= 0) recs[slot] = { replicas: proposed, at: now };
    else recs.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recs);
    const ableToScale = stabilized !== proposed ? DOWN_STABILIZED : READY;
    const upLimit = Math.max(2 * current, 4);
    const [maxAllowed, maxReport] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY];
    let desired = stabilized;
    let report = WITHIN;
    if (stabilized < min) [desired, report] = [min, TOO_FEW];
    else if (stabilized > maxAllowed) [desired, report] = [maxAllowed, maxReport];
    return { desired, ableToScale, limited: desired !== stabilized, scalingLimited: report };
  }

  /** normalizeDesiredReplicasWithBehaviors. */
  private withBehavior({ key, current, proposed, min, max }: NormalizeInput, behavior: HorizontalPodAutoscalerBehavior): NormalizeResult {
    const { up, down } = withBehaviorDefaults(behavior, this.downscaleWindowMs);
    const now = this.now();
    const upCutoff = now - up.stabilizationWindowSeconds * 1000;
    const downCutoff = now - down.stabilizationWindowSeconds * 1000;
    const recs = this.recommendations.get(key) ?? [];
    let upRec = proposed;
    let downRec = proposed;
    let slot = -1;
    recs.forEach((r, i) => {
      if (r.at > upCutoff) upRec = Math.min(upRec, r.replicas);
      if (r.at > downCutoff) downRec = Math.max(downRec, r.replicas);
      if (r.at < upCutoff && r.at < downCutoff) slot = i;
    });
    let stabilized = Math.max(current, upRec);
    stabilized = Math.min(stabilized, downRec);
    if (slot >= 0) recs[slot] = { replicas: proposed, at: now };
    else recs.push({ replicas: proposed, at: now });
    this.recommendations.set(key, recs);
    const ableToScale = stabilized !== proposed ? (proposed >= current ? UP_STABILIZED : DOWN_STABILIZED) : READY;

    let desired = stabilized;
    let report = WITHIN;
    if (stabilized > current) {
      const limit = Math.max(current, this.scaleUpLimit(key, current, up));
      const [maxAllowed, maxReport] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
      if (stabilized > maxAllowed) [desired, report] = [maxAllowed, maxReport];
    } else if (stabilized < current) {
      const limit = Math.min(current, this.scaleDownLimit(key, current, down));
      const [minAllowed, minReport] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
      if (stabilized < minAllowed) [desired, report] = [minAllowed, minReport];
    }
    return { desired, ableToScale, limited: desired !== stabilized, scalingLimited: report };
  }

  /** Records a rescale for the policies' periods (storeScaleEvent); only HPAs with behavior keep them. */
  recordScale(key: string, behavior: HorizontalPodAutoscalerBehavior | null | undefined, from: number, to: number): void {
    if (!behavior || from === to) return;
    const { up, down } = withBehaviorDefaults(behavior, this.downscaleWindowMs);
    const longest = (rules: Required<HPAScalingRules>) => Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const now = this.now();
    const [map, period] = to > from ? [this.upEvents, longest(up)] : [this.downEvents, longest(down)];
    const events = (map.get(key) ?? []).filter((e) => e.at > now - period);
    events.push({ change: Math.abs(to - from), at: now });
    map.set(key, events);
  }

  private changeInPeriod(events: ScaleEvent[] | undefined, periodSeconds: number): number {
    const cutoff = this.now() - periodSeconds * 1000;
    return (events ?? []).filter((e) => e.at > cutoff).reduce((s, e) => s + e.change, 0);
  }

  private scaleUpLimit(key: string, current: number, rules: Required<HPAScalingRules>): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
    for (const p of rules.policies ?? []) {
      const start = current - this.changeInPeriod(this.upEvents.get(key), p.periodSeconds) + this.changeInPeriod(this.downEvents.get(key), p.periodSeconds);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  private scaleDownLimit(key: string, current: number, rules: Required<HPAScalingRules>): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
    for (const p of rules.policies ?? []) {
      const start = current - this.changeInPeriod(this.upEvents.get(key), p.periodSeconds) + this.changeInPeriod(this.downEvents.get(key), p.periodSeconds);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }
}
