import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addImageGcFlags, imageGcPolicy, type ImageGcFlags } from './image-gc-flags.js';

/** Parses args as a command with the image GC flags; the policy its action sees, or the error. */
async function parse(args: string[]): Promise<{ policy?: ReturnType<typeof imageGcPolicy>; error?: string }> {
  let policy: ReturnType<typeof imageGcPolicy> | undefined;
  let error = '';
  const command = addImageGcFlags(new Command('node'))
    .exitOverride()
    .configureOutput({ writeErr: (text) => void (error += text), writeOut: () => {} })
    .action((flags: ImageGcFlags) => void (policy = imageGcPolicy(flags)));
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch {
    return { error };
  }
  return policy ? { policy } : { error };
}

describe('image GC flags', () => {
  it("default to the kubelet's policy", async () => {
    assert.deepEqual(await parse([]), { policy: { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000, maxAgeMs: 0 } });
  });

  it('take percentages and durations', async () => {
    const r = await parse(['--image-gc-high-threshold', '1', '--image-gc-low-threshold', '0', '--image-minimum-gc-age', '0s', '--image-maximum-gc-age', '1h']);
    assert.deepEqual(r, { policy: { highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0, maxAgeMs: 3_600_000 } });
  });

  it('refuse invalid values before the command runs', async () => {
    assert.match((await parse(['--image-gc-high-threshold', '50%'])).error ?? '', /a percentage is an integer 0-100/);
    assert.match((await parse(['--image-gc-low-threshold', '85'])).error ?? '', /imageGCLowThresholdPercent \(--image-gc-low-threshold\) 85 must be less than/);
    assert.match((await parse(['--image-maximum-gc-age', '2m'])).error ?? '', /imageMaximumGCAge 2m0s must be greater than imageMinimumGCAge 2m0s/);
  });
});
