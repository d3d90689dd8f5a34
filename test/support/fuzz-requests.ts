// Request generator for the API server fuzz test: valid requests against a few namespaces and
// cluster-scoped names (create, get, list, watch, update, patch of every type, delete,
// deletecollection, status, discovery), each then mutated 0–4 times — bodies (truncated,
// corrupted, wrong types, huge or unicode strings, deep nesting, over 3 MiB), paths (`..`, `%00`,
// bad escapes, very long names, dropped or unknown segments), query strings (bad selectors,
// resourceVersions, continue tokens, limits), headers (content types, accept, encodings,
// impersonation), methods, and invalid patch bodies of each patch type. Request N of seed S is a
// pure function of (S, N), so any failure reproduces from those two numbers.

import { gzipSync } from 'node:zlib';
import { stringify as toYaml } from 'yaml';
import { createRng, derive, type Rng } from './prng.js';

export interface FuzzTarget {
  /** Namespaces the fuzz may address (they exist before it starts). */
  namespaces: string[];
  /** Names of namespaced objects it uses (some exist before it starts). */
  names: string[];
  /** Prefix of the names of cluster-scoped objects it creates (namespaces, nodes, priority classes). */
  clusterPrefix: string;
}

export interface FuzzRequest {
  index: number;
  transport: 'h2' | 'h1';
  method: string;
  /** Path and query string, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** May legitimately answer with an endless stream (a watch). */
  streaming: boolean;
  /** The valid request it started from, and what was done to it. */
  template: string;
  mutations: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Resource {
  prefix: string[];
  resource: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
  status: boolean;
  object(name: string, rng: Rng): JsonObject;
  /** A valid strategic-merge / merge patch. */
  patch(rng: Rng): JsonObject;
}

interface Draft {
  transport: 'h2' | 'h1';
  method: string;
  segments: string[];
  query: [string, string][];
  rawQuery?: string;
  headers: Record<string, string>;
  json?: Json;
  raw?: Buffer;
  streaming: boolean;
  template: string;
  mutations: string[];
  resource?: Resource;
  /** Index of the object-name segment, when the path has one. */
  nameAt?: number;
  /** Placeholder string → raw JSON text spliced in after serialization (deep nesting, odd numbers). */
  splices: Map<string, string>;
  omitContentLength: boolean;
}

const MiB = 1024 * 1024;

const podSpec = (rng: Rng, restartPolicy = 'Always'): JsonObject => ({
  containers: [
    {
      name: 'main',
      image: rng.pick(['busybox:1.36', 'registry.local/app@sha256:' + 'a'.repeat(64), 'nginx']),
      command: ['sleep', String(rng.int(1, 1000))],
      ports: [{ containerPort: rng.int(1, 65535), protocol: 'TCP' }],
      env: [{ name: 'A', value: rng.string(4) }],
      resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '10m' } },
    },
  ],
  restartPolicy,
});

const labels = (name: string, rng: Rng): JsonObject => ({ fuzz: 'yes', n: String(rng.int(0, 9)), app: name });

const core = (resource: string, kind: string, extra: Partial<Resource> & Pick<Resource, 'object'>): Resource => ({
  prefix: ['api', 'v1'],
  resource,
  kind,
  apiVersion: 'v1',
  namespaced: true,
  status: false,
  patch: (rng) => ({ metadata: { labels: { patched: rng.string(3) } } }),
  ...extra,
});
const grouped = (group: string, version: string, resource: string, kind: string, extra: Partial<Resource> & Pick<Resource, 'object'>): Resource => ({
  prefix: ['apis', group, version],
  resource,
  kind,
  apiVersion: `${group}/${version}`,
  namespaced: true,
  status: false,
  patch: (rng) => ({ metadata: { annotations: { patched: rng.string(5) } } }),
  ...extra,
});

const RESOURCES: Resource[] = [
  core('configmaps', 'ConfigMap', {
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, data: { a: rng.string(8), b: 'two' }, binaryData: { c: 'AAEC' } }),
    patch: (rng) => ({ data: { [rng.pick(['a', 'b', 'z'])]: rng.string(6) } }),
  }),
  core('secrets', 'Secret', {
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, type: 'Opaque', data: { k: 'dmFsdWU=' }, stringData: { s: rng.string(5) } }),
  }),
  core('pods', 'Pod', {
    status: true,
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, spec: podSpec(rng) }),
    patch: (rng) => ({ spec: { containers: [{ name: 'main', image: `busybox:1.${rng.int(30, 40)}` }] } }),
  }),
  core('services', 'Service', {
    status: true,
    object: (name, rng) => ({
      metadata: { name, labels: labels(name, rng) },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: rng.int(1, 65535), targetPort: 8080, protocol: 'TCP' }] },
    }),
  }),
  core('serviceaccounts', 'ServiceAccount', { object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) } }) }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', {
    status: true,
    object: (name, rng) => ({
      metadata: { name, labels: labels(name, rng) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${rng.int(1, 9)}Gi` } } },
    }),
  }),
  grouped('apps', 'v1', 'deployments', 'Deployment', {
    status: true,
    object: (name, rng) => ({
      metadata: { name, labels: labels(name, rng) },
      spec: { replicas: rng.int(0, 3), selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(rng) } },
    }),
    patch: (rng) => ({ spec: { replicas: rng.int(0, 5) } }),
  }),
  grouped('batch', 'v1', 'jobs', 'Job', {
    status: true,
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, spec: { backoffLimit: 1, template: { spec: podSpec(rng, 'Never') } } }),
  }),
  grouped('batch', 'v1', 'cronjobs', 'CronJob', {
    status: true,
    object: (name, rng) => ({
      metadata: { name, labels: labels(name, rng) },
      spec: { schedule: rng.pick(['*/5 * * * *', '@hourly', '0 0 * * 0']), jobTemplate: { spec: { template: { spec: podSpec(rng, 'OnFailure') } } } },
    }),
  }),
  grouped('coordination.k8s.io', 'v1', 'leases', 'Lease', {
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, spec: { holderIdentity: rng.string(6), leaseDurationSeconds: rng.int(1, 60) } }),
    patch: (rng) => ({ spec: { holderIdentity: rng.string(6) } }),
  }),
  grouped('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', {
    object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: [rng.pick(['get', 'list', '*'])] }] }),
  }),
  grouped('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', {
    object: (name, rng) => ({
      metadata: { name, labels: labels(name, rng) },
      addressType: 'IPv4',
      endpoints: [{ addresses: [`10.0.0.${rng.int(1, 254)}`] }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    }),
  }),
];

const CLUSTER_RESOURCES = (prefix: string): (Resource & { names: string[] })[] => [
  {
    ...core('namespaces', 'Namespace', { object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) } }) }),
    namespaced: false,
    status: true,
    names: [0, 1, 2].map((i) => `${prefix}ns-${i}`),
  },
  {
    ...core('nodes', 'Node', {
      object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, spec: { unschedulable: rng.chance(0.5), podCIDR: '10.244.1.0/24' } }),
    }),
    namespaced: false,
    status: true,
    names: [0, 1, 2].map((i) => `${prefix}node-${i}`),
  },
  {
    ...grouped('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', {
      object: (name, rng) => ({ metadata: { name, labels: labels(name, rng) }, value: rng.int(-1000, 1_000_000), globalDefault: false }),
    }),
    namespaced: false,
    names: [0, 1].map((i) => `${prefix}pc-${i}`),
  },
];

/** The objects the fuzz test creates before it starts, so that patches and updates find something. */
export function seedObjects(target: FuzzTarget): { path: string; body: JsonObject }[] {
  const rng = createRng(1);
  const out: { path: string; body: JsonObject }[] = [];
  for (const ns of target.namespaces) {
    for (const res of RESOURCES) {
      for (const name of target.names.slice(0, 2)) {
        out.push({ path: '/' + [...res.prefix, 'namespaces', ns, res.resource].join('/'), body: { apiVersion: res.apiVersion, kind: res.kind, ...res.object(name, rng) } });
      }
    }
  }
  return out;
}

/**
 * Kinds no controller or scheduler writes to once created (configmaps, secrets, services, service
 * accounts, leases, roles, endpoint slices): sentinels must change only if a request changed them.
 */
const SENTINEL_KINDS = new Set(['configmaps', 'secrets', 'services', 'serviceaccounts', 'leases', 'roles', 'endpointslices']);

/** Objects like the fuzz's own, for sentinels: same kinds and names, in another namespace. */
export function sentinelObjects(namespace: string, names: string[], marker: string): { path: string; body: JsonObject }[] {
  const rng = createRng(2);
  const out: { path: string; body: JsonObject }[] = [];
  for (const res of RESOURCES.filter((r) => SENTINEL_KINDS.has(r.resource))) {
    for (const name of names) {
      const body: JsonObject = { apiVersion: res.apiVersion, kind: res.kind, ...res.object(name, rng) };
      const meta = body.metadata as JsonObject;
      meta.annotations = { canary: marker };
      out.push({ path: '/' + [...res.prefix, 'namespaces', namespace, res.resource].join('/'), body });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// templates: valid requests

function baseDraft(rng: Rng, template: string): Draft {
  return {
    transport: rng.chance(0.8) ? 'h2' : 'h1',
    method: 'GET',
    segments: [],
    query: [],
    headers: { accept: 'application/json' },
    streaming: false,
    template,
    mutations: [],
    splices: new Map(),
    omitContentLength: false,
  };
}

function resourceTemplate(rng: Rng, target: FuzzTarget): Draft {
  const cluster = rng.chance(0.15);
  const res = cluster ? rng.pick(CLUSTER_RESOURCES(target.clusterPrefix)) : rng.pick(RESOURCES);
  const names = cluster ? (res as Resource & { names: string[] }).names : target.names;
  const name = rng.pick(names);
  const collection = res.namespaced ? [...res.prefix, 'namespaces', rng.pick(target.namespaces), res.resource] : [...res.prefix, res.resource];
  const item = [...collection, name];
  const verbs: [number, string][] = [
    [14, 'create'],
    [10, 'get'],
    [12, 'list'],
    [1, 'watch'],
    [10, 'update'],
    [6, 'patch-merge'],
    [6, 'patch-strategic'],
    [6, 'patch-json'],
    [3, 'patch-apply'],
    [6, 'delete'],
    [res.namespaced ? 3 : 0, 'deletecollection'],
    [res.status ? 4 : 0, 'status'],
    [2, 'list-all-namespaces'],
  ];
  const verb = rng.weighted(verbs);
  const d = baseDraft(rng, `${verb} ${res.resource}`);
  d.resource = res;
  const obj = (): JsonObject => ({ apiVersion: res.apiVersion, kind: res.kind, ...res.object(name, rng) });
  const setJson = (value: Json, contentType = 'application/json') => {
    d.json = value;
    d.headers['content-type'] = contentType;
  };
  switch (verb) {
    case 'create':
      d.method = 'POST';
      d.segments = collection;
      setJson(obj());
      if (rng.chance(0.2)) d.query.push(['fieldValidation', rng.pick(['Strict', 'Warn', 'Ignore'])]);
      if (rng.chance(0.1)) d.query.push(['dryRun', 'All']);
      if (rng.chance(0.1)) d.query.push(['fieldManager', 'fuzz']);
      break;
    case 'get':
      d.segments = item;
      d.nameAt = item.length - 1;
      if (rng.chance(0.2)) d.query.push(['resourceVersion', '0']);
      if (rng.chance(0.1)) d.headers.accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
      break;
    case 'list':
    case 'list-all-namespaces':
      d.segments = verb === 'list' ? collection : [...res.prefix, res.resource];
      if (rng.chance(0.4)) d.query.push(['labelSelector', rng.pick(['fuzz=yes', 'n in (1,2)', '!absent', 'fuzz,n!=3', 'app notin (x)'])]);
      if (rng.chance(0.2)) d.query.push(['fieldSelector', rng.pick(['metadata.name=t-1', 'metadata.name!=t-0', `metadata.namespace=${target.namespaces[0]}`])]);
      if (rng.chance(0.3)) d.query.push(['limit', String(rng.pick([1, 2, 500]))]);
      if (rng.chance(0.2)) d.query.push(['resourceVersion', rng.pick(['0', ''])]);
      if (rng.chance(0.15)) d.headers.accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
      break;
    case 'watch':
      d.segments = collection;
      d.query.push(['watch', rng.pick(['true', '1'])], ['timeoutSeconds', '1']);
      if (rng.chance(0.5)) d.query.push(['resourceVersion', rng.pick(['0', '1', ''])]);
      if (rng.chance(0.3)) d.query.push(['allowWatchBookmarks', 'true']);
      d.streaming = true;
      break;
    case 'update': {
      d.method = 'PUT';
      d.segments = item;
      d.nameAt = item.length - 1;
      const body = obj();
      if (rng.chance(0.3)) (body.metadata as JsonObject).resourceVersion = String(rng.int(1, 50));
      setJson(body);
      break;
    }
    case 'patch-merge':
      d.method = 'PATCH';
      d.segments = item;
      d.nameAt = item.length - 1;
      setJson(res.patch(rng), 'application/merge-patch+json');
      break;
    case 'patch-strategic':
      d.method = 'PATCH';
      d.segments = item;
      d.nameAt = item.length - 1;
      setJson(res.patch(rng), 'application/strategic-merge-patch+json');
      break;
    case 'patch-json':
      d.method = 'PATCH';
      d.segments = item;
      d.nameAt = item.length - 1;
      setJson(
        rng.pick<Json>([
          [{ op: 'add', path: '/metadata/labels/j', value: rng.string(4) }],
          [{ op: 'test', path: '/metadata/name', value: name }, { op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
          [{ op: 'replace', path: '/metadata/labels', value: { fuzz: 'yes' } }],
        ]),
        'application/json-patch+json',
      );
      break;
    case 'patch-apply':
      d.method = 'PATCH';
      d.segments = item;
      d.nameAt = item.length - 1;
      d.query.push(['fieldManager', 'fuzz']);
      if (rng.chance(0.3)) d.query.push(['force', 'true']);
      d.raw = Buffer.from(toYaml(obj()));
      d.headers['content-type'] = 'application/apply-patch+yaml';
      break;
    case 'delete':
      d.method = 'DELETE';
      d.segments = item;
      d.nameAt = item.length - 1;
      if (rng.chance(0.4)) setJson({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: rng.pick(['Background', 'Foreground', 'Orphan']), gracePeriodSeconds: rng.int(0, 30) });
      if (rng.chance(0.2)) d.query.push(['gracePeriodSeconds', String(rng.int(0, 30))]);
      break;
    case 'deletecollection':
      d.method = 'DELETE';
      d.segments = collection;
      d.query.push(['labelSelector', `fuzz=yes,n=${rng.int(0, 9)}`]);
      break;
    case 'status': {
      d.segments = [...item, 'status'];
      d.nameAt = item.length - 1;
      if (rng.chance(0.5)) {
        d.method = 'PUT';
        setJson({ ...obj(), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
      } else {
        d.method = 'PATCH';
        setJson({ status: { observedGeneration: rng.int(0, 5) } }, 'application/merge-patch+json');
      }
      break;
    }
  }
  return d;
}

function discoveryTemplate(rng: Rng): Draft {
  const path = rng.weighted<string>([
    [3, '/api'],
    [3, '/apis'],
    [2, '/api/v1'],
    [2, '/apis/apps/v1'],
    [1, '/apis/batch'],
    [2, '/version'],
    [1, '/openapi/v3'],
    [1, '/openapi/v3/api/v1'],
    [1, '/openapi/v3/apis/apps/v1'],
    [0.2, '/openapi/v2'],
    [1, '/healthz'],
    [1, '/livez'],
    [1, '/readyz'],
    [1, '/metrics'],
    [1, '/'],
  ]);
  const d = baseDraft(rng, `discovery ${path}`);
  d.segments = path.split('/').filter(Boolean);
  if (path === '/api' || path === '/apis') {
    if (rng.chance(0.5)) d.headers.accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
  }
  if (path === '/readyz' && rng.chance(0.5)) d.query.push(['verbose', 'true']);
  return d;
}

// ---------------------------------------------------------------------------------------------
// mutations

interface Mutation {
  name: string;
  weight: number;
  apply(d: Draft, rng: Rng): void;
}

/** Every [container, key] in a JSON tree, for picking a node to mutate. */
function slots(root: Json): { parent: JsonObject | Json[]; key: string | number }[] {
  const out: { parent: JsonObject | Json[]; key: string | number }[] = [];
  const walk = (node: Json, depth: number) => {
    if (depth > 40 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child, depth + 1);
      });
    } else {
      for (const [k, child] of Object.entries(node)) {
        out.push({ parent: node, key: k });
        walk(child, depth + 1);
      }
    }
  };
  walk(root, 0);
  return out;
}

function setSlot(slot: { parent: JsonObject | Json[]; key: string | number }, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else slot.parent[slot.key as string] = value;
}

/** Ensures the draft has a JSON body to mutate (the resource's object when it had none). */
function ensureJson(d: Draft, rng: Rng): Json {
  if (d.json === undefined) {
    d.json = d.resource ? { apiVersion: d.resource.apiVersion, kind: d.resource.kind, ...d.resource.object('t-0', rng) } : { a: 1 };
    d.raw = undefined;
    d.headers['content-type'] ??= 'application/json';
  }
  return d.json;
}

/** The request body as it will be sent (JSON with splices applied, or the raw bytes). */
function bodyBytes(d: Draft): Buffer | undefined {
  if (d.raw !== undefined) return d.raw;
  if (d.json === undefined) return undefined;
  let text = JSON.stringify(d.json);
  for (const [placeholder, raw] of d.splices) text = text.split(JSON.stringify(placeholder)).join(raw);
  return Buffer.from(text);
}

function rawBody(d: Draft): Buffer {
  const bytes = bodyBytes(d) ?? Buffer.from('{}');
  d.json = undefined;
  d.raw = bytes;
  d.splices.clear();
  return bytes;
}

const splice = (d: Draft, raw: string): string => {
  const placeholder = `\u0001splice-${d.splices.size}\u0001`;
  d.splices.set(placeholder, raw);
  return placeholder;
};

const WRONG_VALUES: Json[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'str', [], {}, [1, 'a', null], { x: { y: 1 } }, '123', 'true', '  '];
const ODD_NUMBERS = ['1e400', '-0', '123456789012345678901234567890', '0.0000000000000000001', '9007199254740993', '-9223372036854775809', '1E+2', '5e-324'];
const UNICODE = [
  '\u0000',
  '\ud800',
  '\udfff',
  '😀'.repeat(50),
  '\u202eevil',
  'a\u0308\u0301',
  '\ufeff',
  '\u2028\u2029',
  'Ω≈ç√∫˜µ≤≥÷',
  '𝕿𝖍𝖊',
  'null',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '\\',
  '"',
  '\u0007\b\f\v',
  'ｆｕｌｌｗｉｄｔｈ',
  'İstanbul',
  '\t\n\r',
];

const BAD_NAMES = ['', '..', '.', 'UPPER', 'under_score', '-lead', 'trail-', 'a/b', 'a%2Fb', 'ü', '😀', 'a'.repeat(254), 'a'.repeat(64), '0', ' ', 'a..b', 'a.b', 'x\u0000y'];

const LABEL_SELECTORS = [
  'a in (',
  '!!a',
  'a=b,',
  '=',
  ',',
  'a==b==c',
  'a notin ()',
  'a in ()',
  `a=${'x'.repeat(70)}`,
  `${'x'.repeat(300)}=1`,
  'ü=1',
  'a=b c',
  'a b',
  '(a)',
  'a in (b,,c)',
  'a>1',
  'a<b',
  'a>=1',
  'a!',
  '!',
  'a/b/c=d',
  '-a=b',
  'a=-b-',
  'a=b=c',
  'a in (b) c',
  'example.com/a=b',
  `${'p'.repeat(254)}/a=b`,
  'a!=',
  '!a=b',
  'a in (b c)',
  ' a = b ',
  'a,b,,',
  'a=\u0000',
];
const FIELD_SELECTORS = [
  'metadata.name==',
  'spec.nodeName=',
  'status.phase=Running',
  'unknown.field=x',
  'metadata.name',
  '=x',
  'metadata.name!=',
  'metadata.name=a,metadata.name=b',
  'metadata.name in (a)',
  'x'.repeat(500),
  'metadata.name=\\',
  'metadata.name=a\\,b',
  'metadata.namespace==fuzz',
  'spec.containers[0].image=x',
  ',,',
];
const RESOURCE_VERSIONS = ['-1', 'abc', '99999999999999999999', '1.5', ' 1', '0x10', '1e3', '', '18446744073709551616', '9007199254740993', '00', '+1', '9'.repeat(200), '999999999', '1', '0'];
const LIMITS = ['-1', 'abc', '1e9', '99999999999999999999', '0', '1.5', '', '9007199254740993', ' 5', '0x5'];

function continueTokens(rng: Rng): string {
  const b64 = (s: string) => Buffer.from(s).toString(rng.chance(0.5) ? 'base64' : 'base64url');
  return rng.pick([
    () => 'not base64!!',
    () => '',
    () => rng.string(rng.int(1, 200), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_'),
    () => b64('{}'),
    () => b64('null'),
    () => b64('[1,2]'),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: -5, start: 't-1' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 'x', start: 't-1' })),
    () => b64(JSON.stringify({ v: 'wrong', rv: 5, start: 't-1' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '../' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '/../../' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1e300, start: 't' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 99999999, start: 't-1\u0000' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 2, start: 't-1\u0000' })),
    () => b64(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 3, start: 'x'.repeat(5000) })),
    () => b64('{"v":"meta.k8s.io/v1","rv":5,"start":"t-'),
  ])();
}

function queryValue(d: Draft, key: string, value: string): void {
  const existing = d.query.findIndex(([k]) => k === key);
  if (existing >= 0) d.query[existing] = [key, value];
  else d.query.push([key, value]);
}

const INVALID_JSON_PATCHES: (() => Json)[] = [
  () => ({}),
  () => [{}],
  () => [{ op: 'add' }],
  () => [{ op: 'bogus', path: '/a' }],
  () => [{ op: 'add', path: 'a', value: 1 }],
  () => [{ op: 'add', path: '/metadata/labels/~2', value: 'x' }],
  () => [{ op: 'remove', path: '/nonexistent' }],
  () => [{ op: 'replace', path: '/metadata/name', value: 'renamed' }],
  () => [{ op: 'replace', path: '/metadata/namespace', value: 'other-namespace' }],
  () => [{ op: 'replace', path: '/metadata/uid', value: 'not-a-uid' }],
  () => [{ op: 'move', from: '/metadata', path: '/metadata/x' }],
  () => [{ op: 'copy', from: '/nope', path: '/a' }],
  () => [{ op: 'add', path: '/spec/containers/999999999', value: {} }],
  () => [{ op: 'add', path: '/spec/containers/-1', value: {} }],
  () => [{ op: 'add', path: '/spec/containers/01', value: {} }],
  () => [{ op: 'add', path: '/spec/containers/1e3', value: {} }],
  () => [{ op: 'add', path: '', value: {} }],
  () => [{ op: 'add', path: '', value: [] }],
  () => [{ op: 'remove', path: '' }],
  () => [{ op: 'remove', path: '/metadata' }],
  () => [{ op: 'remove', path: '/kind' }],
  () => [{ op: 'replace', path: '/apiVersion', value: 'v2' }],
  () => [{ op: 'test', path: '/metadata/name', value: 'x' }],
  () => [{ op: 'add', path: '/metadata/labels/a~1b', value: 5 }],
  () => [{ op: 'add', path: '/metadata/resourceVersion', value: 'abc' }],
  () => [{ op: 'add', path: '/metadata/finalizers/-', value: 'fuzz.io/x' }],
  () => [{ op: 'add', path: '/metadata/deletionTimestamp', value: '2000-01-01T00:00:00Z' }],
  () => [{ op: 'add', path: '/metadata/creationTimestamp', value: 'yesterday' }],
  () => [{ op: 'add', path: '/status', value: { phase: 123 } }],
  () => Array.from({ length: 1000 }, (_, i) => ({ op: 'add', path: `/metadata/annotations/k${i}`, value: 'v' })),
  () => Array.from({ length: 20_000 }, () => ({ op: 'test', path: '/kind', value: 'x' })),
  // each copy doubles the document: a server must bound what a patch may grow to
  () => [{ op: 'add', path: '/metadata/annotations', value: { seed: 'x'.repeat(64) } }, ...Array.from({ length: 40 }, () => ({ op: 'copy', from: '/metadata/annotations', path: '/metadata/annotations/more' }))],
  () => [null],
  () => [1, 'two'],
  () => 'op',
  () => [{ op: 'add', path: '/metadata/labels', value: { 'bad key!': 'x' } }],
  () => [{ op: 'replace', path: '/spec', value: null }],
  () => [{ op: 'add', path: '/spec/containers/0/ports/0/containerPort', value: 'eighty' }],
  () => [{ op: 'add', path: '/data/x', value: { nested: true } }],
];

const INVALID_MERGE_PATCHES: (() => Json)[] = [
  () => [],
  () => 'x',
  () => null,
  () => 42,
  () => ({ metadata: null }),
  () => ({ metadata: { name: null } }),
  () => ({ metadata: { name: 'renamed' } }),
  () => ({ metadata: { namespace: 'other-namespace' } }),
  () => ({ metadata: { uid: 'x' } }),
  () => ({ apiVersion: 'v2' }),
  () => ({ kind: 'Secret' }),
  () => ({ kind: null, apiVersion: null }),
  () => ({ spec: { containers: null } }),
  () => ({ spec: null }),
  () => ({ data: { a: { b: 1 } } }),
  () => ({ data: [1, 2] }),
  () => ({ metadata: { resourceVersion: 'abc' } }),
  () => ({ metadata: { resourceVersion: '1' } }),
  () => ({ metadata: { labels: { '!bad': 'x', ok: 5 } } }),
  () => ({ metadata: { creationTimestamp: 'not-a-time' } }),
  () => ({ metadata: { generation: 'x' } }),
  () => ({ status: { replicas: 'many' } }),
  () => ({ spec: { replicas: -5 } }),
  () => ({ spec: { replicas: 1.5 } }),
  () => ({ spec: { containers: [{ name: 'main', image: null }] } }),
  () => ({ '': { '': '' } }),
];

const INVALID_STRATEGIC_PATCHES: (() => Json)[] = [
  () => ({ $patch: 'delete' }),
  () => ({ $patch: 'replace' }),
  () => ({ $patch: 'bogus' }),
  () => ({ $patch: 5 }),
  () => ({ spec: { containers: [{ $patch: 'delete' }] } }),
  () => ({ spec: { containers: [{ name: 'main', $patch: 'bogus' }] } }),
  () => ({ spec: { containers: [{ name: 'main', $patch: 'replace' }] } }),
  () => ({ spec: { containers: [{ $patch: 'replace' }] } }),
  () => ({ spec: { $setElementOrder: 'x' } }),
  () => ({ spec: { '$setElementOrder/containers': [{ name: 'nope' }] } }),
  () => ({ spec: { '$setElementOrder/containers': 'x' } }),
  () => ({ spec: { '$setElementOrder/containers': [1, null] } }),
  () => ({ $retainKeys: ['a'] }),
  () => ({ spec: { $retainKeys: 'x' } }),
  () => ({ spec: { $retainKeys: [1] } }),
  () => ({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }),
  () => ({ metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } }),
  () => ({ metadata: { '$deleteFromPrimitiveList/labels': ['a'] } }),
  () => ({ spec: { containers: [{ name: 'main', ports: [{ $patch: 'delete' }] }] } }),
  () => ({ spec: { containers: 'notalist' } }),
  () => ({ spec: { containers: [1, 2] } }),
  () => ({ spec: { containers: [null] } }),
  () => ({ spec: { containers: [{ name: null }] } }),
  () => ({ spec: { containers: [[]] } }),
  () => ({ metadata: { finalizers: [{ a: 1 }] } }),
  () => ({ metadata: { ownerReferences: [{ uid: 5 }] } }),
  () => ({ metadata: { ownerReferences: [{ $patch: 'delete' }] } }),
  () => ({ data: { $patch: 'delete' } }),
  () => ({ '$setElementOrder/metadata': [] }),
  () => ({ $unknownDirective: true }),
  () => [{ op: 'add', path: '/a', value: 1 }],
];

const YAML_BODIES: (() => string)[] = [
  () => 'a: [unclosed',
  () => '\tkey: tab-indented',
  () => 'key: value\n  bad: indentation',
  () => ':',
  () => '---\na: 1\n---\nb: 2\n',
  () => '- just\n- a\n- list\n',
  () => 'plain scalar',
  () => '',
  () => 'a: &x 1\nb: *y\n',
  () => '!!binary aGVsbG8=',
  () => 'a: !!js/function "function(){}"',
  () => '? [complex, key]\n: value\n',
  () => 'a: 1\na: 2\n',
  () => 'base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n',
  () => {
    // "billion laughs": each level references the previous one nine times
    let s = 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= 9; i++) s += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]\n`;
    return s;
  },
  () => `metadata:\n  name: ${'a'.repeat(100_000)}\n`,
  () => '{"json": "is yaml too", "x": [1, 2, 3]}',
  () => 'a: 0x1F\nb: 1e400\nc: .inf\nd: -.nan\ne: 0o777\nf: 2001-12-14t21:59:43.10-05:00\n',
  () => '%YAML 9.9\n---\na: 1\n',
  () => 'a: "\\ud800"\n',
  () => `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  () => `${'- '.repeat(2_000)}x`,
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/json; charset=latin1',
  'application/json;charset=utf-16',
  'multipart/form-data; boundary=x',
  '',
  'application/vnd.kubernetes.protobuf',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/apply-patch+cbor',
  'application/cbor',
  'application/yaml',
  '*/*',
  'application/*',
  'APPLICATION/JSON',
  'application/json;;;',
  ';',
  'x'.repeat(2000),
  'application/x-www-form-urlencoded',
  'application/json, application/yaml',
  'application/merge-patch+json; charset=utf-8',
  'application/foo+json',
];

const ACCEPTS = [
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  'application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io',
  'application/json;as=APIGroupDiscoveryList;v=v2beta1;g=apidiscovery.k8s.io',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io',
  'application/yaml',
  'text/html',
  '*/*',
  '',
  'application/json;as=Bogus;v=v9;g=x',
  'application/json;q=0',
  ';;;',
  'x'.repeat(4000),
  'application/json;as=Table;v=v1;g=meta.k8s.io;includeObject=Object',
  'application/json;stream=watch',
  'application/cbor',
  'text/plain;q=0.9, application/json;q=0.1',
];

const MUTATIONS: Mutation[] = [
  // --- bodies
  {
    name: 'truncate-body',
    weight: 6,
    apply(d, rng) {
      ensureJson(d, rng);
      const bytes = rawBody(d);
      d.raw = bytes.subarray(0, rng.int(0, Math.max(0, bytes.length - 1)));
    },
  },
  {
    name: 'corrupt-bytes',
    weight: 6,
    apply(d, rng) {
      ensureJson(d, rng);
      const bytes = Buffer.from(rawBody(d));
      const n = rng.int(1, 6);
      for (let i = 0; i < n && bytes.length > 0; i++) bytes[rng.int(0, bytes.length - 1)] = rng.pick([0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x2c, 0x3a, 0xff, 0xc3, 0x80, rng.int(0, 255)]);
      d.raw = bytes;
    },
  },
  {
    name: 'insert-garbage',
    weight: 3,
    apply(d, rng) {
      ensureJson(d, rng);
      const bytes = rawBody(d);
      const at = rng.int(0, bytes.length);
      const junk = Buffer.from(rng.pick(['{', '"', '\\', ',', '\u0000', ']]]]', 'NaN', 'undefined', '/*c*/', '\ufeff', '\\u12']));
      d.raw = Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
    },
  },
  {
    name: 'wrong-type',
    weight: 10,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const all = slots(root);
      for (let i = rng.int(1, 3); i > 0 && all.length > 0; i--) setSlot(rng.pick(all), structuredClone(rng.pick(WRONG_VALUES)));
    },
  },
  {
    name: 'odd-number',
    weight: 2,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const all = slots(root);
      if (all.length > 0) setSlot(rng.pick(all), splice(d, rng.pick(ODD_NUMBERS)));
    },
  },
  {
    name: 'huge-string',
    weight: 3,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const size = rng.pick([64 * 1024, 256 * 1024, MiB, 1.4 * MiB, 1.6 * MiB, 2.5 * MiB]);
      const value = rng.chance(0.7) ? 'x'.repeat(size) : 'ü😀'.repeat(Math.floor(size / 6));
      const all = slots(root);
      if (all.length > 0 && rng.chance(0.7)) setSlot(rng.pick(all), value);
      else if (root !== null && typeof root === 'object' && !Array.isArray(root)) root[rng.pick(['data', 'huge', 'metadata'])] = { k: value };
    },
  },
  {
    name: 'unicode',
    weight: 5,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const all = slots(root);
      for (let i = rng.int(1, 4); i > 0 && all.length > 0; i--) {
        const slot = rng.pick(all);
        if (rng.chance(0.3) && !Array.isArray(slot.parent)) {
          const parent = slot.parent;
          parent[rng.pick(UNICODE)] = rng.pick(UNICODE);
        } else {
          setSlot(slot, rng.pick(UNICODE) + (rng.chance(0.5) ? rng.pick(UNICODE) : ''));
        }
      }
    },
  },
  {
    name: 'invalid-utf8',
    weight: 2,
    apply(d, rng) {
      ensureJson(d, rng);
      const text = rawBody(d).toString('latin1');
      const at = text.indexOf('"', rng.int(0, text.length));
      const bad = Buffer.from([rng.pick([0xc3, 0xe2, 0xf0, 0xff, 0xfe, 0xed]), 0x28, 0xa0]);
      d.raw = at < 0 ? Buffer.concat([Buffer.from(text, 'latin1'), bad]) : Buffer.concat([Buffer.from(text.slice(0, at + 1), 'latin1'), bad, Buffer.from(text.slice(at + 1), 'latin1')]);
    },
  },
  {
    name: 'deep-nesting',
    weight: 3,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const depth = rng.pick([100, 1_000, 10_000, 100_000, 500_000]);
      const deep = rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const all = slots(root);
      if (all.length > 0 && rng.chance(0.8)) setSlot(rng.pick(all), splice(d, deep));
      else d.json = splice(d, deep);
    },
  },
  {
    name: 'body-over-3MiB',
    weight: 0.3,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      const size = Math.floor(rng.pick([3.01, 3.5, 5, 8]) * MiB);
      if (root !== null && typeof root === 'object' && !Array.isArray(root)) root.data = { big: 'y'.repeat(size) };
      else d.json = { data: { big: 'y'.repeat(size) } };
      d.omitContentLength = rng.chance(0.5);
    },
  },
  {
    name: 'top-level',
    weight: 3,
    apply(d, rng) {
      d.json = undefined;
      d.splices.clear();
      d.raw = Buffer.from(rng.pick(['[]', '"str"', '1', 'null', 'true', '', '{}', '   ', '\ufeff{}', '{}{}', '{} trailing', '[{"apiVersion":"v1"}]', '{"kind":"List","items":[]}']));
      d.headers['content-type'] ??= 'application/json';
    },
  },
  {
    name: 'duplicate-keys',
    weight: 2,
    apply(d, rng) {
      ensureJson(d, rng);
      const text = rawBody(d).toString('utf8');
      const extra = rng.pick(['"metadata":{"name":"dup"},', '"kind":"Secret",', '"apiVersion":"v1",', '"spec":null,', '"data":{"a":"1","a":"2"},']);
      d.raw = Buffer.from(text.startsWith('{') ? `{${extra}${text.slice(1)}` : text);
    },
  },
  {
    name: 'bad-name',
    weight: 5,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
      const meta = (root.metadata && typeof root.metadata === 'object' && !Array.isArray(root.metadata) ? root.metadata : (root.metadata = {})) as JsonObject;
      const choice = rng.pick(['name', 'generateName', 'both']);
      if (choice !== 'generateName') meta.name = rng.pick(BAD_NAMES);
      if (choice !== 'name') meta.generateName = rng.pick(BAD_NAMES);
    },
  },
  {
    name: 'bad-metadata',
    weight: 6,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
      const meta = (root.metadata && typeof root.metadata === 'object' && !Array.isArray(root.metadata) ? root.metadata : (root.metadata = {})) as JsonObject;
      const field = rng.pick(['resourceVersion', 'uid', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'deletionTimestamp', 'creationTimestamp', 'managedFields', 'generation', 'deletionGracePeriodSeconds', 'selfLink']);
      const values: Record<string, Json[]> = {
        resourceVersion: RESOURCE_VERSIONS,
        uid: ['', 'not-a-uid', 'x'.repeat(1000), 5],
        namespace: ['other-namespace', '', 'UPPER', 'x'.repeat(300), 5],
        labels: [{ 'bad key!': 'v' }, { k: 'x'.repeat(64) }, { ['p'.repeat(254) + '/k']: 'v' }, { k: 5 }, { k: null }, [], 'x', { '': '' }],
        annotations: [{ k: 'x'.repeat(300 * 1024) }, { 'bad key!': 'v' }, { k: 5 }, 'x'],
        finalizers: [['a'], ['Bad Finalizer!'], [5], 'x', [null], ['kubernetes']],
        ownerReferences: [[{}], [{ apiVersion: 'v1', kind: 'Pod', name: 'x', uid: 'u' }], [{ apiVersion: 'v1', kind: 'Pod', name: 'x', uid: 'u', controller: true }, { apiVersion: 'v1', kind: 'Pod', name: 'y', uid: 'v', controller: true }], 'x'],
        deletionTimestamp: ['2000-01-01T00:00:00Z', 'yesterday', 5],
        creationTimestamp: ['yesterday', '2000-13-45T99:99:99Z', 5, null],
        managedFields: [[{}], [{ manager: 5 }], 'x', [{ manager: 'm', operation: 'Bogus', fieldsType: 'FieldsV9', fieldsV1: 'x' }]],
        generation: [-1, 'x', 1.5, 1e300],
        deletionGracePeriodSeconds: [-1, 'x', 1e300],
        selfLink: ['/api/v1/../..', 5],
      };
      meta[field] = structuredClone(rng.pick(values[field] ?? [null]));
    },
  },
  {
    name: 'body-kind',
    weight: 3,
    apply(d, rng) {
      const root = ensureJson(d, rng);
      if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
      const choice = rng.int(0, 3);
      if (choice === 0) root.kind = rng.pick<Json>(['Secret', 'configmap', '', 'List', 'Status', 'DeleteOptions', 5]);
      if (choice === 1) root.apiVersion = rng.pick<Json>(['v2', 'apps/v1', '', 'v1beta1', '/', 'a/b/c', null]);
      if (choice === 2) delete root.kind;
      if (choice === 3) delete root.apiVersion;
    },
  },
  {
    name: 'yaml-body',
    weight: 3,
    apply(d, rng) {
      if (rng.chance(0.3)) {
        const root = ensureJson(d, rng);
        d.raw = Buffer.from(toYaml(root));
        d.json = undefined;
        d.splices.clear();
      } else {
        d.json = undefined;
        d.splices.clear();
        d.raw = Buffer.from(rng.pick(YAML_BODIES)());
      }
      d.headers['content-type'] = d.method === 'PATCH' && rng.chance(0.5) ? 'application/apply-patch+yaml' : 'application/yaml';
      if (d.headers['content-type'] === 'application/apply-patch+yaml' && rng.chance(0.7)) queryValue(d, 'fieldManager', 'fuzz');
    },
  },
  {
    name: 'gzip-body',
    weight: 1,
    apply(d, rng) {
      ensureJson(d, rng);
      const bytes = rawBody(d);
      d.raw = rng.chance(0.5) ? gzipSync(bytes) : bytes;
      d.headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'x-bogus', 'gzip, gzip']);
    },
  },
  // --- patches
  {
    name: 'invalid-patch',
    weight: 10,
    apply(d, rng) {
      if (d.method !== 'PATCH' && rng.chance(0.7)) d.method = 'PATCH';
      if (d.nameAt === undefined && d.resource) {
        d.segments = [...d.segments, 't-0'];
        d.nameAt = d.segments.length - 1;
      }
      const type = rng.pick(['json', 'merge', 'strategic', 'apply', 'swapped']);
      d.raw = undefined;
      d.splices.clear();
      if (type === 'json') {
        d.json = rng.pick(INVALID_JSON_PATCHES)();
        d.headers['content-type'] = 'application/json-patch+json';
      } else if (type === 'merge') {
        d.json = rng.pick(INVALID_MERGE_PATCHES)();
        d.headers['content-type'] = 'application/merge-patch+json';
      } else if (type === 'strategic') {
        d.json = rng.pick(INVALID_STRATEGIC_PATCHES)();
        d.headers['content-type'] = 'application/strategic-merge-patch+json';
      } else if (type === 'apply') {
        d.json = undefined;
        d.raw = Buffer.from(rng.pick(YAML_BODIES)());
        d.headers['content-type'] = 'application/apply-patch+yaml';
        if (rng.chance(0.6)) queryValue(d, 'fieldManager', rng.pick(['fuzz', '', 'x'.repeat(200)]));
      } else {
        // a valid patch of one type, labelled as another
        d.json = rng.pick<Json>([[{ op: 'add', path: '/metadata/labels/x', value: 'y' }], { metadata: { labels: { x: 'y' } } }, { spec: { containers: [{ name: 'main', $patch: 'delete' }] } }]);
        d.headers['content-type'] = rng.pick(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/json']);
      }
    },
  },
  // --- paths
  {
    name: 'dot-segments',
    weight: 4,
    apply(d, rng) {
      const at = rng.int(1, d.segments.length);
      d.segments.splice(at, 0, rng.pick(['..', '.', '%2e%2e', '%2E', '..%2f..', '...', '..;', '%2e%2e%2f']));
    },
  },
  {
    name: 'nul-in-path',
    weight: 3,
    apply(d, rng) {
      if (d.segments.length === 0) d.segments.push('%00');
      const at = rng.int(0, d.segments.length - 1);
      d.segments[at] = rng.pick([`${d.segments[at]}%00`, '%00', `%00${d.segments[at]}`, `${d.segments[at]}%00.json`]);
    },
  },
  {
    name: 'long-name',
    weight: 3,
    apply(d, rng) {
      const n = rng.pick(d.transport === 'h1' ? [254, 1000, 7000] : [254, 1000, 7000, 30_000]);
      const value = rng.chance(0.8) ? 'a'.repeat(n) : encodeURIComponent('ü'.repeat(Math.floor(n / 6)));
      if (d.nameAt !== undefined) d.segments[d.nameAt] = value;
      else d.segments.push(value);
    },
  },
  {
    name: 'bad-escape',
    weight: 4,
    apply(d, rng) {
      if (d.segments.length === 0) d.segments.push('x');
      const at = rng.int(0, d.segments.length - 1);
      const esc = rng.pick(['%zz', '%', '%c3%28', '%ff', '%2F', '%5C', '%20', '+', '%e2%82', '%ed%a0%80', '%u0041', '%%', '%2', encodeURIComponent('😀'), '%C0%AF']);
      d.segments[at] = rng.chance(0.5) ? `${d.segments[at]}${esc}` : esc;
    },
  },
  {
    name: 'segments',
    weight: 8,
    apply(d, rng) {
      const op = rng.pick(['drop', 'add', 'replace', 'drop-namespace', 'double-slash', 'trailing-slash', 'watch-prefix', 'uppercase']);
      const s = d.segments;
      if (op === 'drop' && s.length > 1) s.splice(rng.int(1, s.length - 1), 1);
      if (op === 'add') s.push(rng.pick(['status', 'scale', 'log', 'exec', 'proxy', 'x', 'finalize', 'eviction', 'binding', 'ephemeralcontainers', 'resize', 'approval', 'attach', 'portforward', 'status/x', 't-1']));
      if (op === 'replace' && s.length > 0) {
        const at = rng.int(0, s.length - 1);
        s[at] = rng.pick(['nope.io', 'v2', 'V1', 'v1beta1', 'configmapz', 'ConfigMaps', 'namespaces', 'api', 'apis', 'watch', '', '*', '-', '~', 'openapi']);
      }
      if (op === 'drop-namespace') {
        const at = s.indexOf('namespaces');
        if (at >= 0 && s.length > at + 2) s.splice(at, 2);
        else if (at >= 0) s.splice(at + 1, s.length);
      }
      if (op === 'double-slash') s.splice(rng.int(0, s.length), 0, '');
      if (op === 'trailing-slash') s.push('');
      if (op === 'watch-prefix') {
        const at = s[0] === 'api' ? 2 : 3;
        s.splice(Math.min(at, s.length), 0, 'watch');
        d.streaming = true;
      }
      if (op === 'uppercase' && s.length > 0) {
        const at = rng.int(0, s.length - 1);
        s[at] = (s[at] ?? '').toUpperCase();
      }
      d.nameAt = undefined;
    },
  },
  // --- query strings
  {
    name: 'label-selector',
    weight: 5,
    apply(d, rng) {
      queryValue(d, 'labelSelector', rng.pick(LABEL_SELECTORS));
    },
  },
  {
    name: 'field-selector',
    weight: 4,
    apply(d, rng) {
      queryValue(d, 'fieldSelector', rng.pick(FIELD_SELECTORS));
    },
  },
  {
    name: 'resource-version',
    weight: 5,
    apply(d, rng) {
      queryValue(d, 'resourceVersion', rng.pick(RESOURCE_VERSIONS));
      if (rng.chance(0.5)) queryValue(d, 'resourceVersionMatch', rng.pick(['Exact', 'NotOlderThan', 'exact', 'Bogus', '']));
    },
  },
  {
    name: 'continue-limit',
    weight: 5,
    apply(d, rng) {
      if (rng.chance(0.6)) queryValue(d, 'continue', continueTokens(rng));
      if (rng.chance(0.6)) queryValue(d, 'limit', rng.pick(LIMITS));
    },
  },
  {
    name: 'watch-params',
    weight: 2,
    apply(d, rng) {
      queryValue(d, 'watch', rng.pick(['true', '1', '0', 'false', 'x', '']));
      queryValue(d, 'timeoutSeconds', rng.pick(['-1', 'abc', '1e9', '0', '99999999999', '1', '0.5']));
      if (rng.chance(0.5)) queryValue(d, 'sendInitialEvents', rng.pick(['true', 'x']));
      if (rng.chance(0.5)) queryValue(d, 'allowWatchBookmarks', rng.pick(['true', 'x']));
      d.streaming = true;
    },
  },
  {
    name: 'misc-params',
    weight: 5,
    apply(d, rng) {
      const params: [string, string[]][] = [
        ['dryRun', ['All', 'None', 'x', '']],
        ['fieldManager', ['', 'x'.repeat(200), 'ü', 'a\u0000', 'kubectl-client-side-apply']],
        ['fieldValidation', ['Strict', 'Warn', 'Ignore', 'bogus', '']],
        ['propagationPolicy', ['Orphan', 'bogus', '']],
        ['gracePeriodSeconds', ['-1', 'abc', '1e20', '0', '']],
        ['pretty', ['true', 'x']],
        ['includeObject', ['None', 'Object', 'x']],
        ['force', ['true', 'x']],
        ['orphanDependents', ['true', 'x']],
        ['timeout', ['1s', 'x', '-1s']],
        ['exact', ['true']],
        ['export', ['true']],
      ];
      for (let i = rng.int(1, 3); i > 0; i--) {
        const [key, values] = rng.pick(params);
        d.query.push([key, rng.pick(values)]);
      }
    },
  },
  {
    name: 'malformed-query',
    weight: 3,
    apply(d, rng) {
      d.rawQuery = rng.pick([
        () => '&&&',
        () => '=&=',
        () => '%zz=1',
        () => 'a=%',
        () => 'labelSelector=%E0%A4%A',
        () => '?',
        () => ';',
        () => Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&'),
        () => 'limit=1&limit=2&limit=x',
        () => 'labelSelector',
        () => `labelSelector=${encodeURIComponent('a in (b')}&labelSelector=a`,
        () => 'watch&timeoutSeconds',
        () => `continue=${'A'.repeat(6000)}`,
        () => 'resourceVersion=1&continue=abc',
        () => 'x=%00&labelSelector=a%00b',
      ])();
      if (/watch/.test(d.rawQuery)) d.streaming = true;
    },
  },
  // --- headers
  {
    name: 'content-type',
    weight: 6,
    apply(d, rng) {
      if (rng.chance(0.15)) delete d.headers['content-type'];
      else d.headers['content-type'] = rng.pick(CONTENT_TYPES);
      if (d.json === undefined && d.raw === undefined && rng.chance(0.5)) ensureJson(d, rng);
    },
  },
  {
    name: 'accept',
    weight: 5,
    apply(d, rng) {
      if (rng.chance(0.1)) delete d.headers.accept;
      else d.headers.accept = rng.pick(ACCEPTS);
    },
  },
  {
    name: 'impersonation',
    weight: 2,
    apply(d, rng) {
      const h = rng.pick(['impersonate-user', 'impersonate-group', 'impersonate-uid', 'impersonate-extra-scopes']);
      d.headers[h] = rng.pick(['system:admin', 'nobody', '', 'x'.repeat(1000), 'system:serviceaccount:fuzz-a:default', 'ü']);
    },
  },
  {
    name: 'odd-headers',
    weight: 3,
    apply(d, rng) {
      const choice = rng.int(0, 6);
      if (choice === 0) d.headers.authorization = rng.pick(['Bearer junk', 'Basic eDp5', `Bearer ${'x'.repeat(4000)}`, 'Bearer', 'Negotiate x']);
      if (choice === 1) d.headers['x-fuzz'] = 'x'.repeat(rng.pick([100, 4000, 8000]));
      if (choice === 2) for (let i = 0; i < 100; i++) d.headers[`x-fuzz-${i}`] = String(i);
      if (choice === 3) d.headers['x-http-method-override'] = rng.pick(['DELETE', 'PATCH', 'x']);
      if (choice === 4) d.headers['if-match'] = rng.pick(['*', '"x"']);
      if (choice === 5) d.headers['accept-encoding'] = rng.pick(['gzip', 'br, deflate', 'x']);
      if (choice === 6 && d.transport === 'h1') d.headers.expect = '100-continue';
    },
  },
  // --- methods
  {
    name: 'method',
    weight: 6,
    apply(d, rng) {
      const h2Only = ['BREW', 'FOO', 'LIST', 'WATCH', 'get', 'Patch', 'DELETECOLLECTION'];
      const common = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE', 'MKCOL', 'LOCK', 'PURGE'];
      d.method = rng.pick(d.transport === 'h2' ? [...common, ...h2Only] : common);
    },
  },
  {
    name: 'transport-flip',
    weight: 1,
    apply(d) {
      d.transport = d.transport === 'h2' ? 'h1' : 'h2';
    },
  },
];

// ---------------------------------------------------------------------------------------------

/** Request `index` of the run seeded `seed`. */
export function generateRequest(seed: number, index: number, target: FuzzTarget): FuzzRequest {
  const rng = createRng(derive(seed, index));
  const d = rng.chance(0.1) ? discoveryTemplate(rng) : resourceTemplate(rng, target);
  const count = rng.weighted<number>([
    [6, 0],
    [45, 1],
    [30, 2],
    [13, 3],
    [6, 4],
  ]);
  for (let i = 0; i < count; i++) {
    const m = rng.weighted(MUTATIONS.map((x) => [x.weight, x] as const));
    m.apply(d, rng);
    d.mutations.push(m.name);
  }
  return finish(d, index, target);
}

function finish(d: Draft, index: number, target: FuzzTarget): FuzzRequest {
  const body = bodyBytes(d);
  const query = d.rawQuery ?? d.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  if (d.query.some(([k]) => k === 'watch') || /(^|\/)watch(\/|$)/.test(d.segments.join('/'))) d.streaming = true;
  // Never delete the namespaces the fuzz works in: that would only make the rest of the run moot.
  const bare = '/' + d.segments.join('/');
  const normalized = safeNormalize(bare);
  if (d.method === 'DELETE' && target.namespaces.some((ns) => normalized === `/api/v1/namespaces/${ns}`)) d.method = 'GET';
  const path = query ? `${bare}?${query}` : bare;
  const headers = { ...d.headers };
  if (body !== undefined && !d.omitContentLength && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  if (body === undefined) delete headers['content-length'];
  // a content-length that disagrees with the body breaks the connection framing, not the server
  if (body !== undefined && headers['content-length'] !== undefined && headers['content-length'] !== String(body.length)) headers['content-length'] = String(body.length);
  // Node's HTTP/1.1 client frames a GET/DELETE body only if told to: without a length, chunk it
  if (body !== undefined && d.transport === 'h1' && headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
  return {
    index,
    transport: d.transport,
    method: d.method,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
    streaming: d.streaming,
    template: d.template,
    mutations: d.mutations,
  };
}

/** The path as a URL parser resolves it (dot segments removed, trailing slashes dropped). */
export function safeNormalize(path: string): string {
  try {
    const p = new URL(path, 'https://x.invalid').pathname;
    return p.length > 1 ? p.replace(/\/+$/, '') : p;
  } catch {
    return path;
  }
}
