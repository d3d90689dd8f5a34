import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfiguration, resolveConfiguration } from './config.js';

describe('scheduler configuration', () => {
  it('defaults to kube-scheduler’s default profile (the plugins Kite has)', () => {
    const [p] = resolveConfiguration();
    assert.equal(p!.schedulerName, 'default-scheduler');
    assert.equal(p!.percentageOfNodesToScore, undefined);
    assert.deepEqual(p!.points.score, [
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'VolumeBinding',
      'PodTopologySpread',
      'InterPodAffinity',
      'DefaultPreemption',
      'NodeResourcesBalancedAllocation',
      'ImageLocality',
      'DefaultBinder',
    ]);
    const weighted = ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality'];
    assert.deepEqual(Object.fromEntries(weighted.map((n) => [n, p!.weights.get(n)])), {
      TaintToleration: 3,
      NodeAffinity: 2,
      NodeResourcesFit: 1,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    });
  });

  it('reads profiles, weights, disabled plugins and args from YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-sched-cfg-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: kubescheduler.config.k8s.io/v1',
          'kind: KubeSchedulerConfiguration',
          'percentageOfNodesToScore: 30',
          'profiles:',
          '- schedulerName: default-scheduler',
          '- schedulerName: bin-packer',
          '  percentageOfNodesToScore: 60',
          '  plugins:',
          '    score:',
          '      disabled: [{name: NodeResourcesBalancedAllocation}]',
          '      enabled: [{name: NodeResourcesFit, weight: 5}]',
          '  pluginConfig:',
          '  - name: NodeResourcesFit',
          '    args: {scoringStrategy: {type: MostAllocated}}',
        ].join('\n'),
      );
      const profiles = resolveConfiguration(loadConfiguration(file));
      assert.deepEqual(profiles.map((p) => [p.schedulerName, p.percentageOfNodesToScore]), [
        ['default-scheduler', 30],
        ['bin-packer', 60],
      ]);
      const bp = profiles[1]!;
      assert.equal(bp.points.score.includes('NodeResourcesBalancedAllocation'), false);
      assert.equal(bp.points.filter.includes('NodeResourcesFit'), true);
      assert.equal(bp.weights.get('NodeResourcesFit'), 5);
      assert.deepEqual(bp.args.get('NodeResourcesFit'), { scoringStrategy: { type: 'MostAllocated' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('multiPoint disabled "*" drops every default', () => {
    const [p] = resolveConfiguration({ profiles: [{ plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'DefaultBinder' }] } } }] });
    assert.deepEqual(p!.plugins, ['DefaultBinder']);
  });

  it('rejects duplicate scheduler names and bad percentages', () => {
    assert.throws(() => resolveConfiguration({ profiles: [{}, {}] }), /duplicate/);
    assert.throws(() => resolveConfiguration({ percentageOfNodesToScore: 120 }), /percentageOfNodesToScore/);
  });
});
