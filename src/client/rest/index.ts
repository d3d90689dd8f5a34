// Kite's REST client: configuration (kubeconfig, in-cluster), the HTTP/2 transport, rate limiting,
// retries with backoff, the resource-oriented API and watches.

export { DEFAULT_BURST, DEFAULT_MAX_RETRIES, DEFAULT_QPS, type RestConfig, type TlsConfig } from './config.js';
export { KubeconfigError, defaultKubeconfigPath, loadKubeconfig, parseKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { NotInClusterError, SERVICE_ACCOUNT_DIR, inClusterConfig, type InClusterOptions } from './in-cluster.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { TokenBucketRateLimiter, rateLimiterFor, unlimitedRateLimiter, type RateLimiter } from './rate-limiter.js';
export { LineDecoder } from './line-decoder.js';
export { ConnectionError, Http2Transport, isConnectionError, type Transport, type TransportRequest, type TransportResponse } from './transport.js';
export { errorFromResponse, isStatus, retryAfterSeconds } from './errors.js';
export { queryString, type QueryValue, type RawResponse, type Requester, type RequestOptions } from './request.js';
export { RestClient, type RestClientOptions } from './rest-client.js';
export { PATCH_CONTENT_TYPES, ResourceClient, type ObjectList, type PatchType, type ResourceDescriptor } from './resource-client.js';
export { Watch, parseEvent, type WatchEvent, type WatchEventType, type WatchInterface } from './watch.js';
export { abortError, isAbortError, sleep } from './sleep.js';
export type * from './options.js';
export { selectorText } from './options.js';
export * as resources from './descriptors.js';
