// core/v1 endpoints and discovery.k8s.io/v1 endpointslices: the ENDPOINTS columns as printers.go
// formats them ("10.0.0.1:80,10.0.0.2:80 + 3 more..."), and small validation of addresses,
// ports and the slice's (immutable) address type.

import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { FieldError } from '../../../api/field-errors.js';
import * as field from '../../../api/field-errors.js';
import { ageColumn, define, dnsLabel, immutable, isValidPortNum, validIP } from './util.js';

const MAX_SHOWN = 3;

function withMore(list: string[], count: number, unsetText: string): string {
  const ret = list.join(',');
  if (count > MAX_SHOWN) return `${ret} + ${count - MAX_SHOWN} more...`;
  return ret === '' ? unsetText : ret;
}

const joinHostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** printers.go formatEndpoints. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      for (const a of addrs) {
        if (list.length < MAX_SHOWN) list.push(a.ip);
        count++;
      }
    } else {
      for (const port of ss.ports ?? []) {
        for (const a of addrs) {
          if (list.length < MAX_SHOWN) list.push(joinHostPort(a.ip, port.port));
          count++;
        }
      }
    }
  }
  return withMore(list, count, '');
}

function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = field.path('subsets').index(i);
    const addresses = [...(ss.addresses ?? []).map((a) => ['addresses', a] as const), ...(ss.notReadyAddresses ?? []).map((a) => ['notReadyAddresses', a] as const)];
    const counters: Record<string, number> = { addresses: 0, notReadyAddresses: 0 };
    for (const [kind, a] of addresses) {
      const ap = p.child(kind).index(counters[kind]!++);
      errs.push(...validIP(a.ip, ap.child('ip')));
      if (a.hostname) errs.push(...dnsLabel(a.hostname, ap.child('hostname')));
    }
    (ss.ports ?? []).forEach((port, j) => {
      const pp = p.child('ports').index(j);
      if ((ss.ports ?? []).length > 1 && !port.name) errs.push(field.required(pp.child('name'), ''));
      for (const m of isValidPortNum(port.port)) errs.push(field.invalid(pp.child('port'), port.port, m));
    });
  });
  return errs;
}

export const endpoints = define<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  strategy: { validate: validateEndpoints, validateUpdate: validateEndpoints, allowCreateOnUpdate: true, allowUnconditionalUpdate: true },
  columns: [{ name: 'Endpoints', type: 'string', description: 'The set of all endpoints is the union of all subsets.', cell: formatEndpoints }, ageColumn()],
});

// ---- endpointslices -------------------------------------------------------------------------

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function slicePorts(s: EndpointSlice): string {
  const list: string[] = [];
  const ports = s.ports ?? [];
  for (const p of ports.slice(0, MAX_SHOWN)) list.push(p.port !== undefined ? String(p.port) : (p.name ?? '*'));
  return withMore(list, ports.length, '<unset>');
}

function sliceEndpoints(s: EndpointSlice): string {
  const list: string[] = [];
  let count = 0;
  for (const ep of s.endpoints ?? []) {
    for (const a of ep.addresses) {
      if (list.length < MAX_SHOWN) list.push(a);
      count++;
    }
  }
  return withMore(list, count, '<unset>');
}

function validateSlice(s: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.addressType) errs.push(field.required(field.path('addressType'), ''));
  else if (!ADDRESS_TYPES.includes(s.addressType)) errs.push(field.notSupported(field.path('addressType'), s.addressType, ADDRESS_TYPES));
  (s.endpoints ?? []).forEach((ep, i) => {
    const p = field.path('endpoints').index(i).child('addresses');
    if (!ep.addresses || ep.addresses.length === 0) errs.push(field.required(p, 'must contain at least 1 address'));
    else if (ep.addresses.length > 100) errs.push(field.tooMany(p, ep.addresses.length, 100));
    if (s.addressType === 'IPv4' || s.addressType === 'IPv6') {
      (ep.addresses ?? []).forEach((a, j) => errs.push(...validIP(a, p.index(j))));
    }
  });
  (s.ports ?? []).forEach((port, i) => {
    if (port.port !== undefined) for (const m of isValidPortNum(port.port)) errs.push(field.invalid(field.path('ports').index(i).child('port'), port.port, m));
  });
  return errs;
}

export const endpointslices = define<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  strategy: {
    validate: validateSlice,
    validateUpdate: (s, old) => [...validateSlice(s), ...immutable(s.addressType, old.addressType, field.path('addressType'))],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  columns: [
    { name: 'AddressType', type: 'string', description: 'addressType specifies the type of address carried by this EndpointSlice.', cell: (s) => s.addressType ?? '' },
    { name: 'Ports', type: 'string', description: 'ports specifies the list of network ports exposed by each endpoint in this slice.', cell: slicePorts },
    { name: 'Endpoints', type: 'string', description: 'endpoints is a list of unique endpoints in this slice.', cell: sliceEndpoints },
    ageColumn(),
  ],
});
