import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIP, IPRange, parseIP, PortRange } from './ranges.js';

test('IPv4 CIDR: offsets skip the network and broadcast addresses', () => {
  const r = IPRange.parse('10.96.0.0/12');
  assert.equal(r.spec, '10.96.0.0/12');
  assert.equal(r.family, 'IPv4');
  assert.equal(r.size, (1 << 20) - 2);
  assert.equal(r.staticBand, 256);
  assert.equal(r.itemAt(0), '10.96.0.1');
  assert.equal(r.offsetOf('10.96.0.1'), 0);
  assert.equal(r.offsetOf('10.96.0.10'), 9);
  assert.equal(r.offsetOf('10.111.255.254'), r.size - 1);
  assert.equal(r.offsetOf('10.111.255.255'), undefined, 'broadcast');
  assert.equal(r.offsetOf('10.96.0.0'), undefined, 'network');
  assert.equal(r.offsetOf('10.112.0.1'), undefined);
  assert.equal(r.offsetOf('1.1.1.1'), undefined);
  assert.equal(r.offsetOf('fd00::1'), undefined);
  assert.equal(r.offsetOf('nonsense'), undefined);
  assert.equal(r.networkAddress(), '10.96.0.0');
});

test('IPv4 CIDR: host bits are masked, small ranges, limits', () => {
  assert.equal(IPRange.parse('10.96.1.7/12').spec, '10.96.0.0/12');
  const r = IPRange.parse('192.168.1.0/28');
  assert.equal(r.size, 14);
  assert.equal(r.staticBand, 0);
  assert.equal(IPRange.parse('192.168.1.0/24').staticBand, 16);
  assert.equal(IPRange.parse('10.0.0.0/16').staticBand, 4096 > 256 ? 256 : 4096);
  assert.throws(() => IPRange.parse('10.0.0.0/8'), /too large/);
  assert.throws(() => IPRange.parse('10.0.0.0'), /invalid CIDR/);
  assert.throws(() => IPRange.parse('10.0.0.0/33'), /invalid CIDR/);
});

test('IPv6 CIDR', () => {
  const r = IPRange.parse('fd00:10:96::/112');
  assert.equal(r.family, 'IPv6');
  assert.equal(r.spec, 'fd00:10:96::/112');
  assert.equal(r.size, 65535);
  assert.equal(r.itemAt(0), 'fd00:10:96::1');
  assert.equal(r.offsetOf('fd00:10:96::a'), 9);
  assert.equal(r.offsetOf('fd00:10:97::a'), undefined);
  assert.equal(IPRange.parse('fd00::/64').size, 65536, 'capped');
});

test('IP text', () => {
  assert.deepEqual(parseIP('10.0.0.1'), { family: 'IPv4', value: 0x0a000001n });
  assert.deepEqual(parseIP('::ffff:10.0.0.1'), { family: 'IPv4', value: 0x0a000001n });
  assert.equal(parseIP('10.0.0.256'), undefined);
  assert.equal(parseIP('1::2::3'), undefined);
  assert.equal(formatIP(parseIP('2001:0db8:0000:0000:0000:0000:0000:0001')!.value, 'IPv6'), '2001:db8::1');
  assert.equal(formatIP(parseIP('2001:db8:0:1:0:0:0:1')!.value, 'IPv6'), '2001:db8:0:1::1');
  assert.equal(formatIP(0n, 'IPv6'), '::');
  assert.equal(formatIP(parseIP('1:2:3:4:5:6:7:8')!.value, 'IPv6'), '1:2:3:4:5:6:7:8');
});

test('port ranges', () => {
  const r = PortRange.parse('30000-32767');
  assert.equal(r.spec, '30000-32767');
  assert.equal(r.size, 2768);
  assert.equal(r.staticBand, 86);
  assert.equal(r.offsetOf(30000), 0);
  assert.equal(r.offsetOf(32767), 2767);
  assert.equal(r.offsetOf(32768), undefined);
  assert.equal(r.offsetOf(80), undefined);
  assert.equal(r.itemAt(5), 30005);
  assert.equal(PortRange.parse('30000').size, 1);
  assert.throws(() => PortRange.parse('32767-30000'));
  assert.throws(() => PortRange.parse('abc'));
});
