// The shape of one API request and of what sends it — the seam between the resource-oriented API
// (resource-client.ts) and the RestClient that does the sending, so either can be faked.

import type { TransportResponse } from './transport.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path without query, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  query?: URLSearchParams | Record<string, QueryValue>;
  /** Sent as JSON unless it is already a Buffer or string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Overall deadline (all attempts) in ms; default config.timeoutMs. For streams: until headers. */
  timeoutMs?: number;
  /** For error messages, e.g. "get pods web". */
  describe?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Requester {
  /** The default namespace (of the kubeconfig context or the pod). */
  readonly namespace: string;
  /** Sends a request and decodes the JSON response (undefined for an empty body). */
  request<T>(options: RequestOptions): Promise<T>;
  /** Sends a request and resolves with the streaming 2xx response once its headers are in. */
  stream(options: RequestOptions): Promise<TransportResponse>;
}

/** "?a=b&c=d" for the defined, non-empty values ("" when none). */
export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
