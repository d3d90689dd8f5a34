// Translations between the runtime contract and CRI v1 messages: namespaces by hostNetwork (and an
// ephemeral container's PID target), resources in cgroup terms, env values as bytes, ns → ms,
// states, and absent messages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';
import {
  fromCriContainerStatus,
  fromCriFilesystemUsage,
  fromCriSandboxStatus,
  fromCriStats,
  toCriAuth,
  toCriContainerConfig,
  toCriContainerState,
  toCriResources,
  toCriSandboxConfig,
} from './convert.js';

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 2 },
  hostname: 'web',
  logDirectory: '/var/log/pods/default_web_u1',
  portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }],
  labels: { app: 'web' },
  annotations: {},
  hostNetwork: false,
  cgroupParent: '/kubepods/pod-u1',
};

test('sandbox config: metadata, ports, cgroup parent, pod or node network', () => {
  const cri = toCriSandboxConfig(sandbox);
  assert.deepEqual(cri.metadata, sandbox.metadata);
  assert.equal(cri.log_directory, sandbox.logDirectory);
  assert.deepEqual(cri.port_mappings, [{ protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' }]);
  assert.equal(cri.linux.cgroup_parent, '/kubepods/pod-u1');
  assert.deepEqual(cri.linux.security_context.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  const host = toCriSandboxConfig({ ...sandbox, hostNetwork: true });
  assert.equal(host.linux.security_context.namespace_options.network, 'NODE');
  assert.equal(host.hostname, '', "a host-network sandbox keeps the node's hostname");
  assert.equal('dns_config' in cri, false);
});

test('container config: env values as bytes, mounts, log path, namespaces follow the sandbox', () => {
  const config: ContainerConfig = {
    metadata: { name: 'c', attempt: 1 },
    image: 'kite.local/busybox:1',
    command: ['sh'],
    args: ['-c', 'true'],
    envs: [{ key: 'A', value: 'ü' }],
    mounts: [{ containerPath: '/data', hostPath: '/tmp/data', readonly: true }],
    labels: {},
    annotations: {},
    logPath: 'c/1.log',
    stdin: false,
    stdinOnce: false,
    tty: false,
  };
  const cri = toCriContainerConfig(config, { ...sandbox, hostNetwork: true });
  assert.deepEqual(cri.image, { image: 'kite.local/busybox:1' });
  assert.deepEqual(cri.envs, [{ key: 'A', value: Buffer.from('ü') }]);
  assert.deepEqual(cri.mounts, [{ container_path: '/data', host_path: '/tmp/data', readonly: true }]);
  assert.equal(cri.log_path, 'c/1.log');
  assert.equal(cri.linux.resources, null);
  assert.equal(cri.linux.security_context.namespace_options.network, 'NODE');
  assert.equal(cri.linux.security_context.namespace_options.pid, 'CONTAINER');
  assert.equal('target_id' in cri.linux.security_context.namespace_options, false);
  const debug = toCriContainerConfig({ ...config, pidNamespaceTargetId: 'target-c' }, sandbox);
  assert.deepEqual(debug.linux.security_context.namespace_options, { network: 'POD', pid: 'TARGET', ipc: 'POD', target_id: 'target-c' }, "an ephemeral container joins its target's PID namespace");
});

test('resources: CFS quota over a 100 ms period, shares from the request, memory in bytes', () => {
  assert.deepEqual(toCriResources({ cpuLimitMillis: 500, cpuRequestMillis: 250, memoryLimitBytes: 1 << 26 }), {
    cpu_period: 100_000,
    cpu_quota: 50_000,
    cpu_shares: 256,
    memory_limit_in_bytes: 1 << 26,
  });
  assert.deepEqual(toCriResources({ cpuLimitMillis: 1, cpuRequestMillis: 1 }), { cpu_period: 100_000, cpu_quota: 1000, cpu_shares: 2, memory_limit_in_bytes: 0 });
  assert.deepEqual(toCriResources({}), { cpu_period: 0, cpu_quota: 0, cpu_shares: 0, memory_limit_in_bytes: 0 });
  assert.equal(toCriResources(undefined), null);
});

test('sandbox status: ns → ms, all IPs, host network from the namespace options, absent network', () => {
  const status = fromCriSandboxStatus({
    id: 's1',
    metadata: { name: 'web', uid: 'u1', namespace: 'default', attempt: 0 },
    state: 'SANDBOX_READY',
    created_at: 1_700_000_000_123_456_789,
    network: { ip: '10.88.0.2', additional_ips: [{ ip: 'fd00::2' }] },
    linux: { namespaces: { options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    labels: {},
    annotations: {},
  });
  assert.equal(status.createdAt, 1_700_000_000_123);
  assert.deepEqual(status.ips, ['10.88.0.2', 'fd00::2']);
  assert.equal(status.state, 'ready');
  assert.equal(status.hostNetwork, false);
  const bare = fromCriSandboxStatus({ id: 's2', metadata: null, state: 'SANDBOX_NOTREADY', created_at: 0, network: null, linux: null, labels: {}, annotations: {} });
  assert.deepEqual(bare.ips, []);
  assert.equal(bare.state, 'notready');
  assert.deepEqual(bare.metadata, { name: '', namespace: '', uid: '', attempt: 0 });
});

test('container status: reason and exit code pass through, states map', () => {
  const status = fromCriContainerStatus({
    id: 'c1',
    metadata: { name: 'c', attempt: 0 },
    state: 'CONTAINER_EXITED',
    created_at: 1e15,
    started_at: 2e15,
    finished_at: 3e15,
    exit_code: 137,
    image: { image: 'kite.local/busybox:1' },
    image_ref: 'sha256:abc',
    reason: 'OOMKilled',
    message: '',
    labels: {},
    annotations: {},
    mounts: [],
    log_path: '/var/log/pods/x/c/0.log',
  });
  assert.equal(status.state, 'exited');
  assert.equal(status.reason, 'OOMKilled');
  assert.equal(status.exitCode, 137);
  assert.deepEqual([status.createdAt, status.startedAt, status.finishedAt], [1e9, 2e9, 3e9]);
  assert.equal(toCriContainerState('running'), 'CONTAINER_RUNNING');
  assert.equal(toCriContainerState('unknown'), 'CONTAINER_UNKNOWN');
});

test('stats and filesystem usage: absent values read as 0 or stay absent', () => {
  const stats = fromCriStats({
    attributes: { id: 'c1', metadata: { name: 'c', attempt: 0 } },
    cpu: { timestamp: 5e15, usage_core_nano_seconds: { value: 123 } },
    memory: { timestamp: 5e15, working_set_bytes: null },
    writable_layer: null,
  });
  assert.deepEqual(stats, { id: 'c1', metadata: { name: 'c', attempt: 0 }, timestamp: 5e9, cpuUsageCoreNanoSeconds: 123, memoryWorkingSetBytes: 0 });
  assert.deepEqual(fromCriFilesystemUsage({ timestamp: 1e15, fs_id: { mountpoint: '/var/lib' }, used_bytes: { value: 10 }, inodes_used: null }), {
    timestamp: 1e9,
    mountpoint: '/var/lib',
    usedBytes: 10,
  });
});

test('auth: every field, empty when not given', () => {
  assert.deepEqual(toCriAuth({ username: 'u', password: 'p', serverAddress: 'r.local' }), {
    username: 'u',
    password: 'p',
    auth: '',
    server_address: 'r.local',
    identity_token: '',
    registry_token: '',
  });
});
