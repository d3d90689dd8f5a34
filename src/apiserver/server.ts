// The API server: kube-apiserver for Kite. Owns the request chain — authentication,
// authorization, then discovery, OpenAPI, health and version for non-resource paths, or the
// resource endpoints (admission, the generic REST store, storage) — and the HTTPS listener.

import type { KubeObject } from '../api/object.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { newForbidden, newUnauthorized } from '../api/status-errors.js';
import { alwaysAllow, type Authorizer } from './authz/authorizer.js';
import { statusOf } from '../api/status.js';
import type { Store } from '../storage/interface.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/admission.js';
import { DefaultStorageClass } from './admission/default-storage-class.js';
import { DefaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { PriorityAdmission, SYSTEM_PRIORITY_CLASSES } from './admission/priority.js';
import { LimitRanger } from './admission/limit-ranger.js';
import { ResourceQuotaAdmission } from './admission/resource-quota.js';
import { createUnionAuthenticator, type Authenticator, type UserInfo } from './authn/index.js';
import { JWKS_PATH, OPENID_CONFIGURATION_PATH, ServiceAccountTokens, type ServiceAccountTokenConfig } from './authn/service-account-tokens.js';
import { ServiceAccountAdmission } from './admission/service-account.js';
import type { TokenRequestContext } from './endpoints/serviceaccount-token.js';
import { SELF_SUBJECT_REVIEWS, handleSelfSubjectReview } from './endpoints/self-subject-review.js';
import { ACCESS_REVIEWS, handleAccessReview } from './endpoints/access-review.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery/discovery.js';
import { writeError, writeJson, writeRaw, type ApiRequest, type ApiResponse } from './endpoints/http.js';
import { ApiMetrics } from './metrics.js';
import { parseRequestInfo, type RequestInfo } from './endpoints/request-info.js';
import { handleResource } from './endpoints/resource-handler.js';
import { serveHealth, serveVersion, type HealthCheck } from './endpoints/system.js';
import { OpenApiService } from './endpoints/openapi.js';
import { CrdController, customResourceUnknownFields } from './crd/index.js';
import { resourcePrefix } from './registry/keys.js';
import { CachingStore } from './watchcache/index.js';
import { newBadRequest, newServiceUnavailable } from '../api/status-errors.js';
import { notFoundPath } from './endpoints/not-found.js';
import { ResourceCatalog } from './registry/catalog.js';
import { RestStore } from './registry/rest-store.js';
import { convertingStore } from './registry/converting-store.js';
import type { ResourceDefinition } from './registry/resource.js';
import { createLongRunningRegistry, type LongRunningRegistry } from './serving/long-running.js';
import type { RequestHandler } from './serving/types.js';
import type { UpgradeHandler } from './serving/secure-server.js';
import { KubeletProxies, metricsResources, proxyUpgrade, writeSocketResponse, type KubeletClientConfig } from './kubeletproxy/index.js';
import { METRICS_GROUP } from './kubeletproxy/metrics-api.js';
import type { Node, Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  authenticator: Authenticator;
  resources: ResourceDefinition[];
  /** The address clients reach this server at (for /api's serverAddressByClientCIDRs). */
  advertiseAddress: string;
  /** Default: every authenticated user may do everything (until RBAC lands). */
  authorizer?: Authorizer;
  extraAdmission?: AdmissionPlugin[];
  healthChecks?: HealthCheck[];
  /** Credentials towards kubelets: enables pods/log, exec, attach, portforward, nodes/proxy and metrics.k8s.io. */
  kubeletClient?: KubeletClientConfig;
  /** Service-account tokens: serviceaccounts/token, their authenticator and the OIDC discovery documents. */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /** Admission plugins left out by name (kube-apiserver's --disable-admission-plugins), e.g. ServiceAccount. */
  disableAdmissionPlugins?: readonly string[];
  /** DefaultTolerationSeconds admission's not-ready / unreachable tolerationSeconds (kube-apiserver's --default-*-toleration-seconds; 300 each). */
  defaultTolerationSeconds?: { notReady: number; unreachable: number };
}

type Obj = KubeObject & Record<string, unknown>;

/** Subresources served by handlers of their own rather than by resource definitions. */
const PROXY_SUBRESOURCES = new Set(['binding', 'eviction', 'finalize', 'log', 'exec', 'attach', 'portforward', 'proxy', 'token']);

export class ApiServer {
  readonly catalog = new ResourceCatalog();
  readonly longRunning: LongRunningRegistry = createLongRunningRegistry();
  private readonly stores = new WeakMap<ResourceDefinition, RestStore<Obj>>();
  /** Serves the custom resources of the stored CustomResourceDefinitions; start() before serving. */
  readonly crds: CrdController;
  private readonly admission: AdmissionChain;
  private readonly openApi: OpenApiService;
  readonly metrics = new ApiMetrics();
  private readonly kubeletProxies?: KubeletProxies;
  private readonly authenticator: Authenticator;
  private readonly tokens?: ServiceAccountTokens;
  /** Create-only resources with nothing stored (reviews): each answered by its handler. */
  private readonly reviews = new Map<ResourceDefinition, (req: ApiRequest, res: ApiResponse, user: UserInfo, info: RequestInfo) => Promise<void>>([
    [SELF_SUBJECT_REVIEWS, (req, res, user) => handleSelfSubjectReview(req, res, user)],
    ...Object.values(ACCESS_REVIEWS).map(
      (def) => [def, (req: ApiRequest, res: ApiResponse, user: UserInfo, info: RequestInfo) => handleAccessReview(req, res, def, user, this.options.authorizer ?? alwaysAllow, info.namespace)] as const,
    ),
  ]);

  constructor(private readonly options: ApiServerOptions) {
    for (const def of options.resources) this.catalog.add(def);
    // With a watch cache, every served resource is cached (custom resources as they appear).
    const store = options.store;
    if (store instanceof CachingStore) {
      for (const def of options.resources) store.cache(resourcePrefix(def));
      this.catalog.onChange(() => {
        for (const def of this.catalog.all()) if (def.group !== METRICS_GROUP && !this.reviews.has(def)) store.cache(resourcePrefix(def));
      });
    }
    for (const def of this.reviews.keys()) this.catalog.add(def);
    this.openApi = new OpenApiService(this.catalog, () => options.clock.now());
    const lifecycle = new NamespaceLifecycle((name) => this.admissionLookup('', 'namespaces', undefined, name));
    const priority = new PriorityAdmission({
      get: async (name) => (await this.admissionLookup('scheduling.k8s.io', 'priorityclasses', undefined, name)) as unknown as PriorityClass | undefined,
      list: async () => (await this.listForAdmission('scheduling.k8s.io', 'priorityclasses')) as unknown as PriorityClass[],
    });
    const defaultStorageClass = new DefaultStorageClass(async () => (await this.listForAdmission('storage.k8s.io', 'storageclasses')) as unknown as StorageClass[]);
    const quota = new ResourceQuotaAdmission({ store: options.store, clock: options.clock, quotas: () => this.catalog.lookup('', 'v1', 'resourcequotas') });
    const limitRanger = new LimitRanger({ store: options.store, limitRanges: () => this.catalog.lookup('', 'v1', 'limitranges') });
    const serviceAccount = new ServiceAccountAdmission({
      getServiceAccount: async (namespace, name) => (await this.admissionLookup('', 'serviceaccounts', namespace, name)) as ServiceAccount | undefined,
      clock: options.clock,
    });
    const disabled = new Set(options.disableAdmissionPlugins ?? []);
    const plugins = [lifecycle, ...(options.extraAdmission ?? []), limitRanger, serviceAccount, priority, new DefaultTolerationSeconds(options.defaultTolerationSeconds?.notReady, options.defaultTolerationSeconds?.unreachable), defaultStorageClass, quota];
    this.admission = new AdmissionChain(plugins.filter((p) => !disabled.has(p.name)));
    this.authenticator = options.authenticator;
    if (options.serviceAccountTokens) {
      this.tokens = new ServiceAccountTokens(options.serviceAccountTokens, options.clock, {
        getServiceAccount: (ns, name) => this.admissionLookup('', 'serviceaccounts', ns, name),
        getPod: (ns, name) => this.admissionLookup('', 'pods', ns, name),
        getSecret: (ns, name) => this.admissionLookup('', 'secrets', ns, name),
      });
      this.authenticator = createUnionAuthenticator([options.authenticator, this.tokens.authenticator]);
    }
    if (options.kubeletClient) {
      for (const def of metricsResources()) this.catalog.add(def);
      this.kubeletProxies = this.createKubeletProxies(options.kubeletClient);
    }
    this.crds = new CrdController({
      catalog: this.catalog,
      store: options.store,
      clock: options.clock,
      storeFor: (def) => this.storeFor(def),
      logger: options.logger.child('crd'),
    });
  }

  /**
   * An object as admission reads it: from the watch cache first, as kube-apiserver's admission
   * reads its listers — and, since an object created an instant ago may not be there yet, from the
   * store on a miss. Undefined when it does not exist.
   */
  private async admissionLookup(group: string, resource: string, namespace: string | undefined, name: string): Promise<Obj | undefined> {
    const def = this.catalog.lookup(group, 'v1', resource);
    if (!def) return undefined;
    const store = this.storeFor(def);
    const lookup = (resourceVersion?: string) =>
      store.get(namespace, name, resourceVersion).catch((err: unknown) => {
        if ((err as { code?: number }).code === 404) return undefined;
        throw err;
      });
    return (await lookup('0')) ?? (await lookup());
  }

  /** Every object of a cluster-scoped built-in resource, from the watch cache ([] when not served). */
  private async listForAdmission(group: string, resource: string): Promise<Obj[]> {
    const def = this.catalog.lookup(group, 'v1', resource);
    return def ? (await this.storeFor(def).list(undefined, { resourceVersion: '0' })).items : [];
  }

  storeFor(def: ResourceDefinition): RestStore<Obj> {
    let store = this.stores.get(def);
    if (!store) {
      store = new RestStore<Obj>(def as unknown as ResourceDefinition<Obj>, {
        store: def.storageConversion ? convertingStore(this.options.store, def.storageConversion) : this.options.store,
        clock: this.options.clock,
        admission: this.admission,
      });
      this.stores.set(def, store);
    }
    return store;
  }

  private createKubeletProxies(kubelet: KubeletClientConfig): KubeletProxies {
    const storeOf = (resource: string) => {
      const def = this.catalog.lookup('', 'v1', resource);
      if (!def) throw new Error(`${resource} are not served`);
      return this.storeFor(def);
    };
    return new KubeletProxies({
      kubelet,
      clock: this.options.clock,
      longRunning: this.longRunning,
      getPod: async (namespace, name) => (await storeOf('pods').get(namespace, name)) as Pod,
      getNode: async (name) => (await storeOf('nodes').get(undefined, name)) as Node,
      listNodes: async () => (await storeOf('nodes').list(undefined, { resourceVersion: '0' })).items as Node[],
      listPods: async (namespace) => (await storeOf('pods').list(namespace, { resourceVersion: '0' })).items as Pod[],
    });
  }

  /**
   * Upgrade requests (HTTP/1.1 `Connection: Upgrade`: WebSocket exec, attach, port-forward, and
   * anything under nodes/proxy): authenticated and authorized like any request, then relayed to
   * the kubelet. Failures are answered on the socket as Status objects.
   */
  readonly upgradeHandler: UpgradeHandler = (req, socket, head) => {
    socket.on('error', () => {});
    const run = async () => {
      const url = parseUrl(req.url ?? '/');
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
      const info = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
      const user = await this.authenticator.authenticate(req);
      if (!user) throw newUnauthorized('Unauthorized');
      const decision = await (this.options.authorizer ?? alwaysAllow).authorize(user, info);
      if (!decision.allowed) throw forbidden(user.name, info, decision.reason);
      const target = info.isResourceRequest && this.kubeletProxies ? await this.kubeletProxies.upgradeTarget(info, url.searchParams, path) : undefined;
      if (!target) throw newBadRequest(`upgrade requests are not supported at ${path}`);
      proxyUpgrade(this.kubeletProxies!.ctx.kubelet, target, req, socket, head, this.longRunning, (err) => {
        const status = statusOf(newServiceUnavailable(`error dialing backend: ${err.message}`));
        writeSocketResponse(socket, status.code, 'Service Unavailable', JSON.stringify(status));
      });
    };
    run().catch((err: unknown) => {
      const status = statusOf(err);
      if (status.code >= 500) this.options.logger.error('upgrade request failed', { url: req.url, error: err });
      writeSocketResponse(socket, status.code, status.reason ?? '', JSON.stringify(status));
    });
  };

  /** Creates default, kube-system, kube-public and kube-node-lease if they are missing. */
  async ensureSystemNamespaces(): Promise<void> {
    await this.ensureObjects('', 'namespaces', ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  }

  /** Creates the system-node-critical and system-cluster-critical PriorityClasses if they are missing. */
  async ensureSystemPriorityClasses(): Promise<void> {
    await this.ensureObjects('scheduling.k8s.io', 'priorityclasses', SYSTEM_PRIORITY_CLASSES.map((pc) => structuredClone(pc) as unknown as Obj));
  }

  /** Creates the cluster-scoped objects that are missing (existing ones are left as they are). */
  async ensureObjects(group: string, resource: string, objects: readonly KubeObject[]): Promise<void> {
    const def = this.catalog.lookup(group, 'v1', resource);
    if (!def) return;
    const store = this.storeFor(def);
    for (const obj of objects) {
      try {
        await store.create(undefined, obj as Obj);
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
    }
  }

  /** Whether the request's resource and subresource are ones this server serves (for metric labels). */
  private served(info: RequestInfo | undefined): { resource: boolean; subresource: boolean } {
    if (!info?.isResourceRequest || !info.resource) return { resource: false, subresource: false };
    const def = this.catalog.lookup(info.apiGroup ?? '', info.apiVersion ?? '', info.resource);
    if (!def) return { resource: false, subresource: false };
    const sub = info.subresource;
    return { resource: true, subresource: !sub || PROXY_SUBRESOURCES.has(sub) || !!def.subresources?.some((s) => s.name === sub) };
  }

  readonly handler: RequestHandler = async (req, res) => {
    const started = this.options.clock.now();
    let info: RequestInfo | undefined;
    let query: URLSearchParams | undefined;
    res.once('finish', () => {
      const seconds = (this.options.clock.now() - started) / 1000;
      this.metrics.observe(req.method ?? 'GET', info, this.served(info), query?.has('dryRun') ?? false, res.statusCode, seconds);
    });
    try {
      const url = parseUrl(req.url ?? '/');
      query = url.searchParams;
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
      info = parseRequestInfo(req.method ?? 'GET', path, query);
      await this.handle(req, res, query, path, info);
    } catch (err) {
      const status = statusOf(err);
      if (status.code >= 500) this.options.logger.error('request failed', { method: req.method, url: req.url, error: err });
      // An HTTP/1.1 body left unread (too large) would stall the connection: close it instead.
      if (status.code === 413 && req.httpVersionMajor === 1 && !res.headersSent) res.setHeader('connection', 'close');
      writeError(res, err);
    }
  };

  private async handle(req: ApiRequest, res: ApiResponse, query: URLSearchParams, path: string, info: RequestInfo): Promise<void> {
    const user = await this.authenticator.authenticate(req);
    if (!user) throw newUnauthorized('Unauthorized');
    const decision = await (this.options.authorizer ?? alwaysAllow).authorize(user, info);
    if (!decision.allowed) throw forbidden(user.name, info, decision.reason);

    if (!info.isResourceRequest) return this.handleNonResource(req, res, path, query);
    if (this.kubeletProxies && (await this.kubeletProxies.handle(req, res, info, query, path))) return;

    const def = this.catalog.lookup(info.apiGroup, info.apiVersion, info.resource ?? '');
    if (!def) throw notFoundPath();
    const review = this.reviews.get(def);
    if (review && info.verb === 'create' && !info.name) return review(req, res, user, info);
    await handleResource(req, res, info, query, this.storeFor(def), {
      clock: this.options.clock,
      user: { name: user.name, groups: user.groups },
      longRunning: this.longRunning,
      unknownFields: (d, obj) => customResourceUnknownFields(d, obj) ?? this.openApi.unknownFields(d, obj),
      patchMeta: (d) => this.openApi.patchMeta(d),
      checkTypes: (d, obj) => this.openApi.checkTypes(d, obj),
      storeFor: (group, version, resource) => {
        const other = this.catalog.lookup(group, version, resource);
        return other ? (this.storeFor(other) as unknown as RestStore<KubeObject>) : undefined;
      },
      ...(this.tokens ? { tokenRequests: this.tokenRequestContext(this.tokens) } : {}),
    });
  }

  private tokenRequestContext(tokens: ServiceAccountTokens): TokenRequestContext {
    const storeOf = (resource: string) => {
      const def = this.catalog.lookup('', 'v1', resource);
      if (!def) throw notFoundPath();
      return this.storeFor(def);
    };
    return {
      issuer: tokens.issuer,
      audiences: tokens.audiences,
      objects: {
        get: (resource, namespace, name) => storeOf(resource).get(namespace, name),
        getNode: (name) => storeOf('nodes').get(undefined, name),
        findNode: (name) => this.admissionLookup('', 'nodes', undefined, name),
      },
    };
  }

  private async handleNonResource(req: ApiRequest, res: ApiResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw notFoundPath();
    if (path === '/version') return serveVersion(res);
    if (path === '/metrics') {
      const { body, contentType } = await this.metrics.text();
      return writeRaw(res, 200, body, contentType);
    }
    if (await serveHealth(res, path, query, this.options.healthChecks ?? [])) return;
    if (this.tokens && path === OPENID_CONFIGURATION_PATH) return writeJson(res, 200, this.tokens.openidConfiguration());
    if (this.tokens && path === JWKS_PATH) return writeJson(res, 200, this.tokens.jwks(), 'application/jwk-set+json');
    if (path === '/openapi/v2' || path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
      return this.openApi.serve(req, res, path, query);
    }
    const accept = req.headers.accept;
    const parts = path.split('/').filter(Boolean);
    if (path === '/api' || path === '/apis') {
      const aggregated = aggregatedVersion(accept);
      if (aggregated) {
        return writeJson(res, 200, aggregatedDiscovery(this.catalog, path === '/api', aggregated), aggregatedContentType(aggregated));
      }
      return writeJson(res, 200, path === '/api' ? apiVersions(this.options.advertiseAddress) : apiGroupList(this.catalog));
    }
    if (parts[0] === 'api' && parts.length === 2) {
      const doc = apiResourceList(this.catalog, '', parts[1] as string);
      if (doc) return writeJson(res, 200, doc);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const doc = apiGroupDocument(this.catalog, parts[1] as string);
      if (doc) return writeJson(res, 200, doc);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const doc = apiResourceList(this.catalog, parts[1] as string, parts[2] as string);
      if (doc) return writeJson(res, 200, doc);
    }
    if (path === '/') {
      return writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    throw notFoundPath();
  }
}

/** The request target as a URL; any request target (even "//x") is a path here. */
function parseUrl(target: string): URL {
  try {
    return new URL(`https://kite.invalid${target.startsWith('/') ? '' : '/'}${target}`);
  } catch {
    throw newBadRequest('malformed request URL');
  }
}

/** kube-apiserver's 403: `User "x" cannot get resource "pods" in API group "" in the namespace "y"`. */
function forbidden(user: string, info: RequestInfo, reason: string) {
  const what = info.isResourceRequest
    ? `User "${user}" cannot ${info.verb} resource "${info.resource}${info.subresource ? '/' + info.subresource : ''}" in API group "${info.apiGroup}"${info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope'}`
    : `User "${user}" cannot ${info.verb} path "${info.path}"`;
  return newForbidden({ group: info.apiGroup, resource: info.resource ?? '' }, info.name ?? '', reason ? `${what}: ${reason}` : what);
}
