// What a request addresses, parsed from its method and path the way kube-apiserver's
// RequestInfoFactory does: API group and version, namespace, resource, name, subresource, and
// the verb (get, list, watch, create, update, patch, delete, deletecollection).

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** For resource requests, a Kubernetes verb; otherwise the lower-case HTTP method. */
  verb: string;
  apiPrefix?: 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

import { newBadRequest } from '../../api/status-errors.js';

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const truthy = (value: string | null): boolean => value === 'true' || value === '1';

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const nonResource: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiGroup: '', apiVersion: '' };
  const parts = path.split('/').filter((p) => p !== '').map(decodeSegment);
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  let rest: string[];
  let apiGroup = '';
  let apiVersion: string;
  if (prefix === 'api') {
    if (parts.length < 3) return nonResource; // /api, /api/v1: discovery
    apiVersion = parts[1] as string;
    rest = parts.slice(2);
  } else {
    if (parts.length < 4) return nonResource; // /apis, /apis/g, /apis/g/v: discovery
    apiGroup = parts[1] as string;
    apiVersion = parts[2] as string;
    rest = parts.slice(3);
  }
  const info: RequestInfo = { isResourceRequest: true, path, verb: '', apiPrefix: prefix, apiGroup, apiVersion };

  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  // /namespaces/{ns}/{resource}/... ; but /namespaces/{name}[/status|/finalize] is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  info.resource = rest[0];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  if (rest.length > 3) info.subresource = rest.slice(2).join('/');

  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = watchPath || truthy(query.get('watch')) ? 'watch' : info.name ? 'get' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      // Not a Kubernetes verb: the endpoint answers 405.
      info.verb = `unsupported method ${method}`;
  }
  return info;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw newBadRequest(`invalid URL escape in path segment "${segment}"`);
  }
}
