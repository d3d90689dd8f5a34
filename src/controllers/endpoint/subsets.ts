// Endpoints subsets in canonical form (Kubernetes' endpoints.RepackSubsets): addresses grouped by
// the exact set of ports they serve, addresses sorted by IP, ports sorted by name and number, so
// two computations of the same state compare equal and an unchanged Service is never rewritten.

import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.js';

export interface AddressEntry {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`;

export function repackSubsets(entries: AddressEntry[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>();
  for (const e of entries) {
    const ports = [...e.ports].sort((a, b) => portKey(a).localeCompare(portKey(b)));
    const key = ports.map(portKey).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: new Map(), notReady: new Map() }));
    const id = `${e.address.ip}/${e.address.targetRef?.uid ?? ''}`;
    // An address ready for one port group and not ready in another stays where it is ready.
    if (e.ready) {
      g.ready.set(id, e.address);
      g.notReady.delete(id);
    } else if (!g.ready.has(id)) g.notReady.set(id, e.address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const subset: EndpointSubset = {};
      if (g.ready.size > 0) subset.addresses = [...g.ready.values()].sort(byIp);
      if (g.notReady.size > 0) subset.notReadyAddresses = [...g.notReady.values()].sort(byIp);
      if (g.ports.length > 0) subset.ports = g.ports;
      return subset;
    });
}

/** Total addresses (ready and not) over the subsets. */
export function countAddresses(subsets: EndpointSubset[]): number {
  return subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
}
