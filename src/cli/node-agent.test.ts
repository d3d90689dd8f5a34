import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../util/log.js';
import { parseTaints, startNodeAgent } from './node-agent.js';

describe('parseTaints', () => {
  it('parses the kubelet --register-with-taints syntax', () => {
    assert.deepEqual(parseTaints('dedicated=gpu:NoSchedule, node-role.kubernetes.io/control-plane:NoExecute'), [
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' },
    ]);
    assert.deepEqual(parseTaints(''), []);
  });

  it('refuses a taint without a valid effect or key', () => {
    assert.throws(() => parseTaints('k=v'), /effect/);
    assert.throws(() => parseTaints('k=v:Sometimes'), /effect/);
    assert.throws(() => parseTaints('=v:NoSchedule'), /key/);
  });
});

describe('startNodeAgent', () => {
  it('with containerd, fails before registering when the endpoint serves no CRI runtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-node-agent-'));
    try {
      await assert.rejects(
        startNodeAgent({
          kubeconfig: join(dir, 'absent.kubeconfig'),
          dataDir: dir,
          nodeName: 'n',
          nodeIP: '127.0.0.1',
          nodeLabels: {},
          taints: [],
          logger: silentLogger,
          runtime: { kind: 'containerd', endpoint: join(dir, 'containerd.sock') },
          // never used: the runtime fails first
          serving: { certPem: '', keyPem: '', clientCaPem: '' },
          kubeletPort: 0,
        }),
        /no CRI v1 runtime at .*containerd\.sock/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
