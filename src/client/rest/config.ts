// The settings a RestClient is built from (client-go's rest.Config): where the API server is, how
// to trust it, how to authenticate to it, and the client-side limits. Built by hand, from a
// kubeconfig file (kubeconfig.ts) or from inside a pod (in-cluster.ts).

export interface TlsConfig {
  /** PEM of the CA(s) the server's certificate must chain to; the system roots when absent. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM), for x509 authentication. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Name to verify the server's certificate against, instead of the URL's host. */
  serverName?: string;
  /** Skips verification of the server's certificate (kubeconfig insecure-skip-tls-verify). */
  insecure?: boolean;
}

export interface RestConfig {
  /** The API server URL, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  server: string;
  tls?: TlsConfig;
  /** A bearer token. */
  token?: string;
  /** A file holding the bearer token, re-read periodically (projected service-account tokens rotate). */
  tokenFile?: string;
  /** The namespace of the kubeconfig context or of the pod; "default" when unset. */
  namespace?: string;
  /** Sustained requests per second (token bucket refill); default 5, <= 0 disables limiting. */
  qps?: number;
  /** Bucket size; default 10. */
  burst?: number;
  /** Retries of one request (429, 5xx on idempotent verbs, connection loss); default 10. */
  maxRetries?: number;
  /** Per-request timeout in ms for non-streaming requests; 0 (default) waits as long as it takes. */
  timeoutMs?: number;
  userAgent?: string;
}

export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;
export const DEFAULT_MAX_RETRIES = 10;
export const DEFAULT_USER_AGENT = 'kite-client/0.1.0';
