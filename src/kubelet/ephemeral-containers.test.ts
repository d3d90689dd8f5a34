// Ephemeral containers through the kubelet core over the fake runtime: started once on a running
// pod (also while init containers run, never in the sync that creates the sandbox), never
// restarted, their own statuses that leave the pod's phase and readiness alone, the target's PID
// namespace, pull policy and waiting reasons, the kubelet API's lookup, and stopped with the pod.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EphemeralContainer, Node, Pod } from 'kubernetes-types/core/v1.js';
import { LABEL_CONTAINER_TYPE } from './labels.js';
import { fakeKubelet, testPod } from './test-support.js';

const node: Node = { metadata: { name: 'node-a' }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } };

function setup() {
  const { runtime, api, kubelet } = fakeKubelet({ node: () => node });
  const add = async (pod: Pod) => {
    api.addPod(pod);
    kubelet.podUpdated(api.pod('default', pod.metadata!.name!)!);
    await kubelet.idle();
  };
  const sync = async (name: string) => {
    kubelet.podUpdated(api.pod('default', name)!);
    await kubelet.idle();
  };
  /** What `kubectl debug` does: a new entry in spec.ephemeralContainers. */
  const debug = async (name: string, c: EphemeralContainer) => {
    const pod = api.pod('default', name)!;
    api.addPod({ ...pod, spec: { ...pod.spec!, ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), c] } });
    await sync(name);
  };
  const status = (name: string) => api.pod('default', name)!.status!;
  const ephemeral = (name: string, container: string) => status(name).ephemeralContainerStatuses?.find((s) => s.name === container);
  const config = (id: string) => runtime.containers.get(id)!.config;
  return { runtime, api, kubelet, add, sync, debug, status, ephemeral, config };
}

const debugger_ = (name: string, extra: Partial<EphemeralContainer> = {}): EphemeralContainer => ({
  name,
  image: 'busybox',
  command: ['sh', '-c', 'echo $(GREETING)'],
  env: [{ name: 'GREETING', value: 'hi' }],
  stdin: true,
  stdinOnce: true,
  workingDir: '/tmp',
  ...extra,
});

describe('ephemeral containers', () => {
  it('start on a running pod, report their own status, and leave the pod Running and Ready', async () => {
    const { runtime, add, debug, status, ephemeral, config } = setup();
    await add(testPod('web'));
    assert.equal(status('web').ephemeralContainerStatuses, undefined);
    await debug('web', debugger_('dbg'));
    const c = runtime.running('dbg');
    assert.ok(c, 'the ephemeral container runs');
    const cfg = config(c.id);
    assert.deepEqual([cfg.command, cfg.args, cfg.workingDir], [['sh', '-c', 'echo $(GREETING)'], [], '/tmp'], 'through the pod helpers, as any container');
    assert.deepEqual(cfg.envs, [{ key: 'GREETING', value: 'hi' }]);
    assert.deepEqual([cfg.stdin, cfg.stdinOnce, cfg.tty], [true, true, false]);
    assert.equal(cfg.labels[LABEL_CONTAINER_TYPE], 'ephemeral');
    assert.equal(cfg.logPath, 'dbg/0.log');
    assert.equal(cfg.pidNamespaceTargetId, undefined);
    const s = ephemeral('web', 'dbg')!;
    assert.ok(s.state?.running?.startedAt);
    assert.deepEqual([s.ready, s.restartCount, s.image, s.imageID, s.containerID], [false, 0, 'busybox', 'sha256:busybox', `fake://${c.id}`]);
    assert.deepEqual(s.lastState, {});
    assert.equal('started' in s, false, 'the prober reports started for init and app containers only');
    const pod = status('web');
    assert.equal(pod.phase, 'Running');
    assert.deepEqual(pod.containerStatuses!.map((x) => x.name), ['main']);
    const cond = Object.fromEntries((pod.conditions ?? []).map((x) => [x.type, x.status]));
    assert.equal(cond['Ready'], 'True', 'a running, never-ready ephemeral container does not make the pod unready');
    assert.equal(cond['ContainersReady'], 'True');
  });

  it('are never restarted, whatever their exit, and the pod stays Running', async () => {
    const { runtime, add, sync, debug, status, ephemeral } = setup();
    await add(testPod('web', { restartPolicy: 'Always' }));
    await debug('web', debugger_('ok'));
    runtime.exit(runtime.running('ok')!.id, 0);
    await sync('web');
    await debug('web', debugger_('bad'));
    runtime.exit(runtime.running('bad')!.id, 3);
    await sync('web');
    await sync('web');
    assert.equal(runtime.byName('ok').length, 1);
    assert.equal(runtime.byName('bad').length, 1);
    assert.deepEqual(
      [ephemeral('web', 'ok')!.state?.terminated?.exitCode, ephemeral('web', 'ok')!.state?.terminated?.reason],
      [0, 'Completed'],
    );
    assert.deepEqual([ephemeral('web', 'bad')!.state?.terminated?.exitCode, ephemeral('web', 'bad')!.restartCount], [3, 0]);
    assert.equal(status('web').phase, 'Running');
    assert.ok(runtime.running('main'), "the pod's own container keeps running");
  });

  it('join the PID namespace of their running target; a target not running is CreateContainerConfigError', async () => {
    const { runtime, add, debug, ephemeral, config, status } = setup();
    await add(testPod('web', { initContainers: [{ name: 'setup', image: 'busybox' }] }));
    await debug('web', debugger_('early', { targetContainerName: 'main' }));
    const w = ephemeral('web', 'early')!.state?.waiting;
    assert.deepEqual([w?.reason, w?.message], ['CreateContainerConfigError', 'unable to find target container main']);
    assert.equal(runtime.byName('early').length, 0);
    assert.equal(status('web').phase, 'Pending', 'a waiting ephemeral container does not change the phase');
    // started while the init container still runs, joining its namespace
    await debug('web', debugger_('init-dbg', { targetContainerName: 'setup' }));
    const c = runtime.running('init-dbg');
    assert.ok(c, 'started before initialization is done');
    assert.equal(config(c.id).pidNamespaceTargetId, runtime.running('setup')!.id);
    assert.equal(runtime.byName('main').length, 0);
  });

  it('are not started by the sync that creates the sandbox, but by the next one', async () => {
    const { runtime, add, sync } = setup();
    await add(testPod('fresh', { ephemeralContainers: [debugger_('dbg')] }));
    assert.ok(runtime.running('main'));
    assert.equal(runtime.byName('dbg').length, 0);
    await sync('fresh');
    assert.ok(runtime.running('dbg'));
  });

  it('pull their image per imagePullPolicy, with the waiting reasons of any container', async () => {
    const { runtime, add, debug, ephemeral } = setup();
    await add(testPod('web'));
    await debug('web', debugger_('never', { image: 'absent:1', imagePullPolicy: 'Never' }));
    assert.equal(ephemeral('web', 'never')!.state?.waiting?.reason, 'ErrImageNeverPull');
    await debug('web', debugger_('always', { imagePullPolicy: 'Always' }));
    assert.ok(runtime.calls.includes('pullImage busybox'));
    assert.ok(runtime.running('always'));
  });

  it('are found by the kubelet API, and stopped with the pod', async () => {
    const { runtime, api, kubelet, add, debug } = setup();
    await add(testPod('web'));
    await debug('web', debugger_('dbg'));
    const where = await kubelet.lookup.findContainer('default', 'web', 'dbg');
    assert.equal(where?.containerId, runtime.running('dbg')!.id);
    assert.match(where?.logPath ?? '', /default_web_uid-web\/dbg\/0\.log$/);
    const current = api.pod('default', 'web')!;
    kubelet.podUpdated({ ...current, metadata: { ...current.metadata, deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 3 } });
    await kubelet.idle();
    assert.ok(runtime.calls.includes('stopContainer dbg 3'));
    assert.equal(runtime.containers.size, 0);
    assert.equal(api.pod('default', 'web'), undefined);
  });
});
