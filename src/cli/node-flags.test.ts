import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addNodeFlags, kubeletEviction, type NodeFlags } from './node-flags.js';
import type { KubeletEvictionOptions } from '../kubelet/index.js';

/** Parses args as a command with the node flags; the eviction settings its action sees, or the error. */
async function parse(args: string[]): Promise<{ eviction?: KubeletEvictionOptions; error?: string }> {
  let eviction: KubeletEvictionOptions | undefined;
  let error = '';
  const command = addNodeFlags(new Command('node'), { nodeIp: '127.0.0.1' })
    .exitOverride()
    .configureOutput({ writeErr: (text) => void (error += text), writeOut: () => {} })
    .action((flags: NodeFlags) => void (eviction = kubeletEviction(flags)));
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch {
    return { error };
  }
  return eviction ? { eviction } : { error };
}

describe('eviction flags', () => {
  it("default to Kubernetes' hard thresholds, no soft ones and a max pod grace period of 0", async () => {
    const { eviction } = await parse([]);
    assert.deepEqual(eviction?.hard?.map((t) => t.signal), ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available']);
    assert.deepEqual(eviction?.soft, []);
    assert.equal(eviction?.maxPodGraceSeconds, 0);
  });

  it('give soft thresholds their grace periods and every threshold its minimum reclaim', async () => {
    const { eviction } = await parse([
      '--eviction-soft',
      'memory.available<1Gi,nodefs.available<20%',
      '--eviction-soft-grace-period',
      'memory.available=1m30s,nodefs.available=2m',
      '--eviction-max-pod-grace-period',
      '45',
      '--eviction-minimum-reclaim',
      'memory.available=500Mi',
    ]);
    assert.deepEqual(
      eviction?.soft?.map((t) => [t.signal, t.gracePeriodMs, t.minReclaim]),
      [
        ['memory.available', 90_000, { quantity: 500 * 2 ** 20 }],
        ['nodefs.available', 120_000, undefined],
      ],
    );
    assert.deepEqual(eviction?.hard?.[0]?.minReclaim, { quantity: 500 * 2 ** 20 });
    assert.equal(eviction?.maxPodGraceSeconds, 45);
  });

  it('refuse bad values before the command runs', async () => {
    assert.match((await parse(['--eviction-soft', 'memory.available<1Gi'])).error ?? '', /grace period must be specified for the soft eviction threshold memory.available/);
    assert.match((await parse(['--eviction-soft-grace-period', 'memory.available=90'])).error ?? '', /invalid eviction grace period "90" for memory.available/);
    assert.match((await parse(['--eviction-soft-grace-period', 'memory.available:1m'])).error ?? '', /expected signal=duration/);
    assert.match((await parse(['--eviction-max-pod-grace-period', '-1'])).error ?? '', /a non-negative integer/);
    assert.match((await parse(['--eviction-minimum-reclaim', 'nodefs.available=0%'])).error ?? '', /must be positive/);
    assert.match((await parse(['--eviction-soft', 'memory.available>1Gi'])).error ?? '', /expected signal<value/);
  });
});
