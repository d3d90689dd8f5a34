// The REST operations kube-apiserver publishes for a resource, as a neutral model that the v3 and
// v2 renderers turn into OpenAPI: paths, operation ids, x-kubernetes-action, the group/version/kind
// each operation acts on, query parameters, request bodies and responses.

import type { GroupVersionKind, OpenApiResource } from './types.js';

export type ParamType = 'string' | 'integer' | 'boolean';

export interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  type: ParamType;
  required?: boolean;
}

/** What a body or response carries: a definition, a bare string, or any object. */
export type Payload = { ref: string } | { type: 'string' | 'object' };

export interface Operation {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete' | 'head' | 'options';
  operationId: string;
  description: string;
  action: string;
  gvk: GroupVersionKind;
  params: Param[];
  body?: { contentTypes: string[]; payload: Payload; required: boolean };
  responses: { code: string; description: string; payload?: Payload; contentTypes: string[] }[];
  tag: string;
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

/** Definition names a resource's operations refer to, resolved by the caller. */
export interface ResourceSchemas {
  /** The kind's definition, or undefined for a kind without a schema. */
  kind?: string;
  /** The list kind's definition. */
  list?: string;
  /** Whether PATCH accepts strategic merge patches (built-in kinds do, custom resources do not). */
  strategicMerge: boolean;
}

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;

const JSON_TYPES = ['application/json'];
const STREAM_TYPES = ['application/json', 'application/json;stream=watch'];
const ANY = ['*/*'];

// --- parameters -------------------------------------------------------------------------------

const q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });

const P = {
  pretty: q('pretty', 'string', "If 'true', the output is pretty printed."),
  allowWatchBookmarks: q(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events of type "BOOKMARK". The server may send them at its discretion; clients must not depend on them. Ignored unless watching.',
  ),
  continue: q(
    'continue',
    'string',
    'The continue token from a previous paginated list response, to fetch the next page with otherwise identical query parameters. An expired token is answered with 410 ResourceExpired.',
  ),
  fieldSelector: q('fieldSelector', 'string', 'A selector restricting the returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector restricting the returned objects by their labels. Defaults to everything.'),
  limit: q(
    'limit',
    'integer',
    'The maximum number of items a list call returns. When more exist, the list metadata carries a continue token for the next page.',
  ),
  resourceVersion: q(
    'resourceVersion',
    'string',
    'Constrains which resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions. Defaults to unset.',
  ),
  resourceVersionMatch: q(
    'resourceVersionMatch',
    'string',
    'Determines how resourceVersion applies to list calls (Exact or NotOldThan). Setting it requires resourceVersion. Defaults to unset.',
  ),
  sendInitialEvents: q(
    'sendInitialEvents',
    'boolean',
    'With watch=true, starts the watch stream with synthetic ADDED events for the current objects, followed by a BOOKMARK event annotated "k8s.io/initial-events-end". Requires resourceVersionMatch=NotOldThan.',
  ),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'A timeout for the list or watch call, regardless of activity.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update and remove notifications.'),
  dryRun: q(
    'dryRun',
    'string',
    'When present, the modification is not persisted. The only valid value is All (process every dry-run stage); an unknown value is an error.',
  ),
  fieldManager: q(
    'fieldManager',
    'string',
    'The name of the actor making the change, at most 128 printable characters. Required for apply patches, optional otherwise.',
  ),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'How the server treats unknown or duplicate fields in the request body (POST/PUT/PATCH). Ignore: drop them silently. Warn: drop them and return a warning header for each (the default). Strict: fail the request with 400 BadRequest listing them.',
  ),
  force: q('force', 'boolean', 'Force an apply request: take over fields owned by other managers. Must be unset for other patch types.'),
  gracePeriodSeconds: q(
    'gracePeriodSeconds',
    'integer',
    'Seconds before the object is deleted; a non-negative integer, zero meaning immediately. Unset uses the default grace period of the kind.',
  ),
  orphanDependents: q(
    'orphanDependents',
    'boolean',
    'Deprecated: use propagationPolicy. Whether dependents are orphaned (the "orphan" finalizer is added) or not. Mutually exclusive with propagationPolicy.',
  ),
  propagationPolicy: q(
    'propagationPolicy',
    'string',
    "How garbage collection treats dependents: 'Orphan', 'Background' or 'Foreground'. Mutually exclusive with orphanDependents; the default depends on the object's finalizers and kind.",
  ),
  // pods/log
  container: q('container', 'string', 'The container to act on. Defaults to the only container if the pod has one.'),
  follow: q('follow', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
  insecureSkipTLSVerifyBackend: q(
    'insecureSkipTLSVerifyBackend',
    'boolean',
    "Skip verifying the serving certificate of the kubelet the logs are read from. Defaults to false.",
  ),
  limitBytes: q('limitBytes', 'integer', 'The number of bytes to read from the server before ending the log output.'),
  previous: q('previous', 'boolean', "Return the logs of the container's previous, terminated instance. Defaults to false."),
  sinceSeconds: q('sinceSeconds', 'integer', 'A relative time in seconds before now from which to show logs.'),
  tailLines: q('tailLines', 'integer', 'The number of lines from the end of the log to show.'),
  timestamps: q('timestamps', 'boolean', 'Prefix every log line with an RFC3339 timestamp. Defaults to false.'),
  // pods/exec, pods/attach
  command: q('command', 'string', 'The command to run; one parameter per argument.'),
  stdin: q('stdin', 'boolean', 'Redirect the standard input stream of the container. Defaults to false.'),
  stdout: q('stdout', 'boolean', 'Redirect the standard output stream of the container. Defaults to true.'),
  stderr: q('stderr', 'boolean', 'Redirect the standard error stream of the container. Defaults to true.'),
  tty: q('tty', 'boolean', 'Allocate a terminal for the exec or attach session. Defaults to false.'),
  // pods/portforward
  ports: q('ports', 'integer', 'The ports to forward.'),
  // */proxy
  path: q('path', 'string', 'The path of the request to proxy.'),
} satisfies Record<string, Param>;

const pathParam = (name: string, description: string): Param => ({ name, in: 'path', type: 'string', required: true, description });

const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const CREATE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [
  P.continue,
  P.dryRun,
  P.fieldSelector,
  P.gracePeriodSeconds,
  P.labelSelector,
  P.limit,
  P.orphanDependents,
  P.propagationPolicy,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];
const LOG_PARAMS = [
  P.container,
  P.follow,
  P.insecureSkipTLSVerifyBackend,
  P.limitBytes,
  P.previous,
  P.sinceSeconds,
  P.tailLines,
  P.timestamps,
];
const EXEC_PARAMS = [P.command, P.container, P.stderr, P.stdin, P.stdout, P.tty];
const ATTACH_PARAMS = [P.container, P.stderr, P.stdin, P.stdout, P.tty];

const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

// --- names ------------------------------------------------------------------------------------

const upperFirst = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** 'rbac.authorization.k8s.io' → 'RbacAuthorization', '' → 'Core', as in kube-apiserver's operation ids. */
export function groupIdentifier(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map(upperFirst)
    .join('');
}

/** The OpenAPI tag of a group version: core_v1, apps_v1, rbacAuthorization_v1. */
export function groupVersionTag(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id[0]!.toLowerCase()}${id.slice(1)}_${version}`;
}

/** The path of a group version without the leading slash: api/v1, apis/apps/v1. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

// --- operations -------------------------------------------------------------------------------

type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

interface SubresourceSpec {
  /** the kind the subresource's body and response carry; undefined: the parent kind */
  kind?: GroupVersionKind;
  /** the definition of that kind */
  definition?: string;
  methods: ('get' | 'put' | 'patch' | 'post')[];
  /** connect-style subresources stream text and answer every listed method */
  connect?: { methods: Operation['method'][]; params: Param[]; options: (parent: string) => string };
  /** get returns text (pods/log) */
  textGet?: Param[];
}

const SUBRESOURCES: Record<string, SubresourceSpec> = {
  status: { methods: ['get', 'put', 'patch'] },
  ephemeralcontainers: { methods: ['get', 'put', 'patch'] },
  resize: { methods: ['get', 'put', 'patch'] },
  approval: { methods: ['get', 'put', 'patch'] },
  finalize: { methods: ['put'] },
  scale: {
    kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    definition: 'io.k8s.api.autoscaling.v1.Scale',
    methods: ['get', 'put', 'patch'],
  },
  binding: { kind: { group: '', version: 'v1', kind: 'Binding' }, definition: 'io.k8s.api.core.v1.Binding', methods: ['post'] },
  eviction: { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, definition: 'io.k8s.api.policy.v1.Eviction', methods: ['post'] },
  token: {
    kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
    definition: 'io.k8s.api.authentication.v1.TokenRequest',
    methods: ['post'],
  },
  log: { methods: [], textGet: LOG_PARAMS },
  exec: { methods: [], connect: { methods: ['get', 'post'], params: EXEC_PARAMS, options: (k) => `${k}ExecOptions` } },
  attach: { methods: [], connect: { methods: ['get', 'post'], params: ATTACH_PARAMS, options: (k) => `${k}AttachOptions` } },
  portforward: { methods: [], connect: { methods: ['get', 'post'], params: [P.ports], options: (k) => `${k}PortForwardOptions` } },
  proxy: {
    methods: [],
    connect: {
      methods: ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'],
      params: [P.path],
      options: (k) => `${k}ProxyOptions`,
    },
  },
};

const DESCRIBE: Record<string, string> = {
  list: 'list or watch objects of kind',
  create: 'create',
  deletecollection: 'delete collection of',
  read: 'read the specified',
  replace: 'replace the specified',
  patch: 'partially update the specified',
  delete: 'delete',
};

interface Ctx {
  r: OpenApiResource;
  gvk: GroupVersionKind;
  schemas: ResourceSchemas;
  id: string; // group+version identifier, e.g. AppsV1
  tag: string;
  base: string; // /api/v1 or /apis/apps/v1
}

const kindPayload = (c: Ctx): Payload => (c.schemas.kind ? { ref: c.schemas.kind } : { type: 'object' });
const listPayload = (c: Ctx): Payload => (c.schemas.list ? { ref: c.schemas.list } : { type: 'object' });

function responses(codes: [string, string][], payload: Payload | undefined, contentTypes = JSON_TYPES): Operation['responses'] {
  return [
    ...codes.map(([code, description]) => ({ code, description, payload, contentTypes })),
    { code: '401', description: 'Unauthorized', contentTypes: [] },
  ];
}

const OK: [string, string][] = [['200', 'OK']];
const CREATED: [string, string][] = [
  ['200', 'OK'],
  ['201', 'Created'],
  ['202', 'Accepted'],
];
const REPLACED: [string, string][] = [
  ['200', 'OK'],
  ['201', 'Created'],
];
const DELETED: [string, string][] = [
  ['200', 'OK'],
  ['202', 'Accepted'],
];

function op(c: Ctx, fields: Omit<Operation, 'tag' | 'gvk'> & { gvk?: GroupVersionKind }): Operation {
  return { gvk: c.gvk, tag: c.tag, ...fields };
}

function writeBody(payload: Payload): Operation['body'] {
  return { contentTypes: ANY, payload, required: true };
}

function patchBody(strategicMerge: boolean): Operation['body'] {
  const types = strategicMerge ? PATCH_TYPES : PATCH_TYPES.filter((t) => !t.startsWith('application/strategic'));
  return { contentTypes: types, payload: { ref: PATCH }, required: true };
}

/** Every path of one resource, kube-apiserver style. */
export function resourcePaths(r: OpenApiResource, schemas: ResourceSchemas): PathItem[] {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const c: Ctx = {
    r,
    gvk,
    schemas,
    id: groupIdentifier(r.group) + upperFirst(r.version),
    tag: groupVersionTag(r.group, r.version),
    base: `/${groupVersionPath(r.group, r.version)}`,
  };
  const verbs = new Set(r.verbs as Verb[]);
  const ns = r.namespaced;
  const scope = ns ? 'Namespaced' : '';
  const nsPrefix = ns ? '/namespaces/{namespace}' : '';
  const nsParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const nameParam = pathParam('name', `name of the ${r.kind}`);
  const scopeParams = ns ? [nsParam] : [];
  const items: PathItem[] = [];

  // collection
  const collection: Operation[] = [];
  if (verbs.has('list')) {
    collection.push(
      op(c, {
        method: 'get',
        operationId: `list${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.list} ${r.kind}`,
        action: 'list',
        params: LIST_PARAMS,
        responses: responses(OK, listPayload(c), STREAM_TYPES),
      }),
    );
  }
  if (verbs.has('create')) {
    collection.push(
      op(c, {
        method: 'post',
        operationId: `create${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.create} ${a(r.kind)}`,
        action: 'post',
        params: CREATE_PARAMS,
        body: writeBody(kindPayload(c)),
        responses: responses(CREATED, kindPayload(c)),
      }),
    );
  }
  if (verbs.has('deletecollection')) {
    collection.push(
      op(c, {
        method: 'delete',
        operationId: `delete${c.id}Collection${scope}${r.kind}`,
        description: `${DESCRIBE.deletecollection} ${r.kind}`,
        action: 'deletecollection',
        params: DELETE_COLLECTION_PARAMS,
        body: { contentTypes: ANY, payload: { ref: DELETE_OPTIONS }, required: false },
        responses: responses(OK, { ref: STATUS }),
      }),
    );
  }
  if (collection.length > 0) {
    items.push({ path: `${c.base}${nsPrefix}/${r.resource}`, params: [...scopeParams, P.pretty], operations: collection });
  }

  // single object
  const single: Operation[] = [];
  if (verbs.has('get')) {
    single.push(
      op(c, {
        method: 'get',
        operationId: `read${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.read} ${r.kind}`,
        action: 'get',
        params: [],
        responses: responses(OK, kindPayload(c)),
      }),
    );
  }
  if (verbs.has('update')) {
    single.push(
      op(c, {
        method: 'put',
        operationId: `replace${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.replace} ${r.kind}`,
        action: 'put',
        params: CREATE_PARAMS,
        body: writeBody(kindPayload(c)),
        responses: responses(REPLACED, kindPayload(c)),
      }),
    );
  }
  if (verbs.has('patch')) {
    single.push(
      op(c, {
        method: 'patch',
        operationId: `patch${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.patch} ${r.kind}`,
        action: 'patch',
        params: PATCH_PARAMS,
        body: patchBody(schemas.strategicMerge),
        responses: responses(REPLACED, kindPayload(c)),
      }),
    );
  }
  if (verbs.has('delete')) {
    single.push(
      op(c, {
        method: 'delete',
        operationId: `delete${c.id}${scope}${r.kind}`,
        description: `${DESCRIBE.delete} ${a(r.kind)}`,
        action: 'delete',
        params: DELETE_PARAMS,
        body: { contentTypes: ANY, payload: { ref: DELETE_OPTIONS }, required: false },
        responses: responses(DELETED, { ref: STATUS }),
      }),
    );
  }
  if (single.length > 0) {
    items.push({ path: `${c.base}${nsPrefix}/${r.resource}/{name}`, params: [nameParam, ...scopeParams, P.pretty], operations: single });
  }

  // list across namespaces
  if (ns && verbs.has('list')) {
    items.push({
      path: `${c.base}/${r.resource}`,
      params: [...LIST_PARAMS, P.pretty],
      operations: [
        op(c, {
          method: 'get',
          operationId: `list${c.id}${r.kind}ForAllNamespaces`,
          description: `${DESCRIBE.list} ${r.kind}`,
          action: 'list',
          params: [],
          responses: responses(OK, listPayload(c), STREAM_TYPES),
        }),
      ],
    });
  }

  // deprecated watch paths
  if (verbs.has('watch')) {
    const watchOp = (operationId: string, action: string, description: string): Operation =>
      op(c, { method: 'get', operationId, description, action, params: [], responses: responses(OK, { ref: WATCH_EVENT }, STREAM_TYPES) });
    const deprecatedList = `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`;
    items.push({
      path: `${c.base}/watch${nsPrefix}/${r.resource}`,
      params: [...LIST_PARAMS, ...scopeParams, P.pretty],
      operations: [watchOp(`watch${c.id}${scope}${r.kind}List`, 'watchlist', deprecatedList)],
    });
    items.push({
      path: `${c.base}/watch${nsPrefix}/${r.resource}/{name}`,
      params: [...LIST_PARAMS, nameParam, ...scopeParams, P.pretty],
      operations: [
        watchOp(
          `watch${c.id}${scope}${r.kind}`,
          'watch',
          `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        ),
      ],
    });
    if (ns) {
      items.push({
        path: `${c.base}/watch/${r.resource}`,
        params: [...LIST_PARAMS, P.pretty],
        operations: [watchOp(`watch${c.id}${r.kind}ListForAllNamespaces`, 'watchlist', deprecatedList)],
      });
    }
  }

  for (const sub of r.subresources ?? []) items.push(...subresourcePaths(c, sub, nameParam, scopeParams, nsPrefix, scope));
  return items;
}

function subresourcePaths(c: Ctx, sub: string, nameParam: Param, scopeParams: Param[], nsPrefix: string, scope: string): PathItem[] {
  const r = c.r;
  const spec = SUBRESOURCES[sub] ?? SUBRESOURCES.status!;
  const suffix = sub
    .split(/[^a-zA-Z0-9]+/)
    .map(upperFirst)
    .join('');
  const path = `${c.base}${nsPrefix}/${r.resource}/{name}/${sub}`;
  const subName = pathParam('name', `name of the ${spec.kind?.kind ?? r.kind}`);
  const params = [subName, ...scopeParams];
  const gvk = spec.kind ?? c.gvk;
  const payload: Payload = spec.definition ? { ref: spec.definition } : kindPayload(c);
  const operations: Operation[] = [];
  const what = `${spec.kind?.kind ?? r.kind} of the specified ${r.kind}`;

  if (spec.connect) {
    const optionsKind = { group: c.gvk.group, version: c.gvk.version, kind: spec.connect.options(r.kind) };
    const connectOps = (methods: Operation['method'][]): Operation[] =>
      methods.map((method) =>
        op(c, {
          method,
          operationId: `connect${c.id}${upperFirst(method)}${scope}${r.kind}${suffix}`,
          description: `connect ${method.toUpperCase()} requests to ${sub} of ${r.kind}`,
          action: 'connect',
          gvk: optionsKind,
          params: [],
          responses: responses(OK, { type: 'string' }, ['*/*']),
        }),
      );
    const items: PathItem[] = [{ path, params: [nameParam, ...scopeParams, ...spec.connect.params], operations: connectOps(spec.connect.methods) }];
    if (sub === 'proxy') {
      const proxyPath = pathParam('path', 'path to the resource');
      items.push({
        path: `${path}/{path}`,
        params: [nameParam, ...scopeParams, proxyPath, ...spec.connect.params],
        operations: connectOps(spec.connect.methods).map((o) => ({ ...o, operationId: `${o.operationId}WithPath` })),
      });
    }
    return items;
  }

  if (spec.textGet) {
    operations.push(
      op(c, {
        method: 'get',
        operationId: `read${c.id}${scope}${r.kind}${suffix}`,
        description: `read ${sub} of the specified ${r.kind}`,
        action: 'get',
        params: spec.textGet,
        responses: responses(OK, { type: 'string' }, ['text/plain', 'application/json']),
      }),
    );
    return [{ path, params: [nameParam, ...scopeParams, P.pretty], operations }];
  }

  for (const method of spec.methods) {
    if (method === 'get') {
      operations.push(
        op(c, {
          method,
          operationId: `read${c.id}${scope}${r.kind}${suffix}`,
          description: `read ${what}`,
          action: 'get',
          gvk,
          params: [],
          responses: responses(OK, payload),
        }),
      );
    } else if (method === 'put') {
      operations.push(
        op(c, {
          method,
          operationId: `replace${c.id}${scope}${r.kind}${suffix}`,
          description: `replace ${what}`,
          action: 'put',
          gvk,
          params: CREATE_PARAMS,
          body: writeBody(payload),
          responses: responses(REPLACED, payload),
        }),
      );
    } else if (method === 'patch') {
      operations.push(
        op(c, {
          method,
          operationId: `patch${c.id}${scope}${r.kind}${suffix}`,
          description: `partially update ${what}`,
          action: 'patch',
          gvk,
          params: PATCH_PARAMS,
          body: patchBody(c.schemas.strategicMerge),
          responses: responses(REPLACED, payload),
        }),
      );
    } else {
      operations.push(
        op(c, {
          method,
          operationId: `create${c.id}${scope}${r.kind}${suffix}`,
          description: `create ${spec.kind?.kind ?? sub} of ${a(r.kind)}`,
          action: 'post',
          gvk,
          params: CREATE_PARAMS,
          body: writeBody(payload),
          responses: responses(CREATED, payload),
        }),
      );
    }
  }
  return [{ path, params: [...params, P.pretty], operations }];
}

/** The discovery document path of a group version ("get available resources"). */
export function groupVersionRootPath(group: string, version: string): PathItem {
  const id = groupIdentifier(group) + upperFirst(version);
  return {
    path: `/${groupVersionPath(group, version)}/`,
    params: [],
    operations: [
      {
        method: 'get',
        operationId: `get${id}APIResources`,
        description: 'get available resources',
        action: '',
        gvk: { group, version, kind: '' },
        params: [],
        responses: responses(OK, { ref: API_RESOURCE_LIST }),
        tag: groupVersionTag(group, version),
      },
    ],
  };
}

function a(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
