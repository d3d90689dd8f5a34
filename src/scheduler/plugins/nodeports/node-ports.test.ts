import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { NodePorts } from './node-ports.js';

describe('NodePorts', () => {
  const p = new NodePorts();
  const check = (want: { port: number; protocol?: string; ip?: string }[], used: { port: number; protocol?: string; ip?: string }[]) => {
    const pod = makePod({ hostPorts: want });
    const s = new CycleState();
    const pre = p.preFilter(s, pod);
    if (pre?.isSkip()) return 'skip';
    return p.filter(s, pod, new NodeInfo(makeNode({ name: 'n' }), makePod({ hostPorts: used }))) === undefined ? 'fits' : 'conflict';
  };
  it('skips pods without host ports', () => assert.equal(check([], [{ port: 80 }]), 'skip'));
  it('conflicts on the same protocol, ip and port', () => {
    assert.equal(check([{ port: 80 }], [{ port: 80 }]), 'conflict');
    assert.equal(check([{ port: 80, protocol: 'UDP' }], [{ port: 80 }]), 'fits');
    assert.equal(check([{ port: 81 }], [{ port: 80 }]), 'fits');
  });
  it('0.0.0.0 conflicts with any ip; distinct ips do not conflict', () => {
    assert.equal(check([{ port: 80, ip: '10.0.0.1' }], [{ port: 80 }]), 'conflict');
    assert.equal(check([{ port: 80 }], [{ port: 80, ip: '10.0.0.1' }]), 'conflict');
    assert.equal(check([{ port: 80, ip: '10.0.0.2' }], [{ port: 80, ip: '10.0.0.1' }]), 'fits');
  });
  it('reports the kube-scheduler reason', () => {
    const pod = makePod({ hostPorts: [{ port: 80 }] });
    const s = new CycleState();
    p.preFilter(s, pod);
    assert.deepEqual(p.filter(s, pod, new NodeInfo(makeNode({ name: 'n' }), makePod({ hostPorts: [{ port: 80 }] })))!.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
  });
});
