// The kubelet's image garbage collection policy (Kubernetes' ImageGCPolicy): the image
// filesystem's usage thresholds and the image ages, with the kubelet's defaults, and the
// kubelet's configuration validation of them (--image-gc-high-threshold, --image-gc-low-threshold,
// --image-minimum-gc-age, --image-maximum-gc-age) with its messages.

import { goDuration } from '../backoff.js';

export interface ImageGcPolicy {
  /** At or above this usage (percent of the image filesystem) image GC runs; 100 turns it off. */
  highThresholdPercent: number;
  /** GC frees down to this usage. */
  lowThresholdPercent: number;
  /** Unused images younger than this (since first detected) are never removed. */
  minAgeMs: number;
  /** Unused images not used for longer than this are removed whatever the usage; 0: never. */
  maxAgeMs: number;
}

export const DEFAULT_IMAGE_GC_POLICY: ImageGcPolicy = {
  highThresholdPercent: 85,
  lowThresholdPercent: 80,
  minAgeMs: 2 * 60_000,
  maxAgeMs: 0,
};

/** How often the kubelet collects images (its ImageGCPeriod). */
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;

/** The kubelet's configuration checks of the policy; empty when valid. */
export function validateImageGcPolicy(p: ImageGcPolicy): string[] {
  const errors: string[] = [];
  const inRange = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 100;
  if (!inRange(p.highThresholdPercent)) {
    errors.push(`invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) ${p.highThresholdPercent} must be between 0 and 100, inclusive`);
  }
  if (!inRange(p.lowThresholdPercent)) {
    errors.push(`invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${p.lowThresholdPercent} must be between 0 and 100, inclusive`);
  }
  if (p.lowThresholdPercent >= p.highThresholdPercent) {
    errors.push(
      `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${p.lowThresholdPercent} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${p.highThresholdPercent}`,
    );
  }
  if (p.minAgeMs < 0) errors.push(`invalid configuration: imageMinimumGCAge ${goDuration(p.minAgeMs)} must not be negative`);
  if (p.maxAgeMs < 0) errors.push(`invalid configuration: imageMaximumGCAge ${goDuration(p.maxAgeMs)} must not be negative`);
  if (p.maxAgeMs > 0 && p.maxAgeMs <= p.minAgeMs) {
    errors.push(`invalid configuration: imageMaximumGCAge ${goDuration(p.maxAgeMs)} must be greater than imageMinimumGCAge ${goDuration(p.minAgeMs)}`);
  }
  return errors;
}
