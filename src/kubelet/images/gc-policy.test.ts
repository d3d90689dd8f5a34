import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_IMAGE_GC_POLICY, validateImageGcPolicy } from './gc-policy.js';

describe('validateImageGcPolicy', () => {
  it('accepts the defaults and thresholds that force GC', () => {
    assert.deepEqual(validateImageGcPolicy(DEFAULT_IMAGE_GC_POLICY), []);
    assert.deepEqual(validateImageGcPolicy({ highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0, maxAgeMs: 0 }), []);
  });

  it("rejects what the kubelet's configuration validation rejects, with its messages", () => {
    assert.deepEqual(validateImageGcPolicy({ ...DEFAULT_IMAGE_GC_POLICY, highThresholdPercent: 101 }), [
      'invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) 101 must be between 0 and 100, inclusive',
    ]);
    assert.deepEqual(validateImageGcPolicy({ ...DEFAULT_IMAGE_GC_POLICY, lowThresholdPercent: 85 }), [
      'invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 85 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85',
    ]);
    assert.deepEqual(validateImageGcPolicy({ ...DEFAULT_IMAGE_GC_POLICY, lowThresholdPercent: -1 }), [
      'invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) -1 must be between 0 and 100, inclusive',
    ]);
    assert.deepEqual(validateImageGcPolicy({ ...DEFAULT_IMAGE_GC_POLICY, maxAgeMs: 60_000 }), [
      'invalid configuration: imageMaximumGCAge 1m0s must be greater than imageMinimumGCAge 2m0s',
    ]);
  });
});
