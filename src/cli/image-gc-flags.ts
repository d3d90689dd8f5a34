// The kubelet's image garbage collection flags, shared by `kite server` and `kite agent`:
// --image-gc-high-threshold, --image-gc-low-threshold, --image-minimum-gc-age and
// --image-maximum-gc-age with the kubelet's defaults, checked before the command runs with the
// kubelet's configuration messages.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_IMAGE_GC_POLICY, validateImageGcPolicy, type ImageGcPolicy } from '../kubelet/images/gc-policy.js';
import { parseDuration } from '../util/duration.js';

export interface ImageGcFlags {
  imageGcHighThreshold: number;
  imageGcLowThreshold: number;
  imageMinimumGcAge: number;
  imageMaximumGcAge: number;
}

const percent = (text: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('a percentage is an integer 0-100');
  return n;
};

const duration = (text: string): number => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export function imageGcPolicy(flags: ImageGcFlags): ImageGcPolicy {
  return {
    highThresholdPercent: flags.imageGcHighThreshold,
    lowThresholdPercent: flags.imageGcLowThreshold,
    minAgeMs: flags.imageMinimumGcAge,
    maxAgeMs: flags.imageMaximumGcAge,
  };
}

export function addImageGcFlags(command: Command): Command {
  const d = DEFAULT_IMAGE_GC_POLICY;
  return command
    .option('--image-gc-high-threshold <percent>', 'image filesystem usage (percent) at or above which image garbage collection runs; 100 disables it', percent, d.highThresholdPercent)
    .option('--image-gc-low-threshold <percent>', 'image filesystem usage (percent) image garbage collection frees down to', percent, d.lowThresholdPercent)
    .addOption(new Option('--image-minimum-gc-age <duration>', 'minimum age of an unused image before it may be garbage collected').argParser(duration).default(d.minAgeMs, '2m'))
    .addOption(
      new Option('--image-maximum-gc-age <duration>', 'unused images not used for this long are garbage collected whatever the usage (0: never)').argParser(duration).default(d.maxAgeMs, '0'),
    )
    .hook('preAction', (cmd) => {
      const errors = validateImageGcPolicy(imageGcPolicy(cmd.opts<ImageGcFlags>()));
      if (errors.length > 0) cmd.error(`error: ${errors.join('; ')}`);
    });
}
