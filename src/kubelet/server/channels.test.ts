import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNEL_V4, CHANNEL_V5, REMOTE_COMMAND_PROTOCOLS, chooseProtocol, decodeFrame, decodeResize, encodeFrame, exitStatus, portPrefix } from './channels.js';

test('frames start with their channel byte', () => {
  assert.deepEqual([...encodeFrame(1, 'hi')], [1, 0x68, 0x69]);
  assert.deepEqual([...encodeFrame(3)], [3]);
  assert.deepEqual(decodeFrame(Buffer.from([0, 0x61]), CHANNEL_V5), { kind: 'data', channel: 0, data: Buffer.from('a') });
  assert.equal(decodeFrame(Buffer.alloc(0), CHANNEL_V5), undefined);
});

test('the close signal exists in v5 only', () => {
  assert.deepEqual(decodeFrame(Buffer.from([255, 0]), CHANNEL_V5), { kind: 'close', channel: 0 });
  assert.equal(decodeFrame(Buffer.from([255, 0]), CHANNEL_V4)?.kind, 'data');
});

test('the first offered protocol we speak wins', () => {
  assert.equal(chooseProtocol(['v5.channel.k8s.io', 'v4.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), CHANNEL_V5);
  assert.equal(chooseProtocol(['v3.channel.k8s.io', 'v4.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), CHANNEL_V4);
  assert.equal(chooseProtocol(['SPDY/3.1+portforward.k8s.io'], REMOTE_COMMAND_PROTOCOLS), undefined);
});

test('resize messages carry Width and Height', () => {
  assert.deepEqual(decodeResize(Buffer.from('{"Width":80,"Height":24}')), { width: 80, height: 24 });
  assert.equal(decodeResize(Buffer.from('nope')), undefined);
});

test('exit statuses: Success, or NonZeroExitCode with the code as a cause', () => {
  assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
  const failed = exitStatus(3, ['sh', '-c', 'exit 3']) as { reason: string; details: { causes: { reason: string; message: string }[] } };
  assert.equal(failed.reason, 'NonZeroExitCode');
  assert.deepEqual(failed.details.causes, [{ reason: 'ExitCode', message: '3' }]);
});

test('port-forward channels open with the port, little-endian', () => {
  assert.deepEqual([...portPrefix(8080)], [0x90, 0x1f]);
});
