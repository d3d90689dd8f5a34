// A static pod manifest → the pod the kubelet runs, as Kubernetes' file config source decodes and
// defaults it (pkg/kubelet/config/common.go): YAML or JSON of one v1 Pod with a name; the UID is
// an MD5 over "host:<node>", "file:<path>" and the decoded manifest, so it changes with the
// content; the name gets "-<node>", the namespace defaults to "default", spec.nodeName is the
// node, annotations config.hash=<uid> and config.source=file, a toleration of every NoExecute
// taint, the pod defaults the API server would apply (restartPolicy Always, …) and phase Pending.

import { createHash } from 'node:crypto';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { parseAllDocuments } from 'yaml';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/names.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_SOURCE_ANNOTATION, FILE_SOURCE } from './pod-source-annotations.js';

export type ManifestResult = { pod: Pod } | { error: string };

/** Parses and defaults one manifest file's content; an error says why it is not a valid pod. */
export function parseManifest(text: string, source: { path: string; nodeName: string }): ManifestResult {
  let decoded: unknown;
  try {
    const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
    if (docs.length !== 1) return { error: docs.length === 0 ? 'empty manifest' : 'a manifest holds a single pod' };
    const doc = docs[0]!;
    if (doc.errors.length > 0) return { error: doc.errors[0]!.message };
    decoded = doc.toJS();
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (!isObject(decoded)) return { error: 'not an object' };
  if (decoded['apiVersion'] !== 'v1' || decoded['kind'] !== 'Pod') return { error: `invalid pod: expected apiVersion v1 and kind Pod, got ${String(decoded['apiVersion'])} ${String(decoded['kind'])}` };
  const pod = decoded as Pod;
  const problem = validate(pod);
  if (problem) return { error: `invalid pod: ${problem}` };
  return { pod: applyDefaults(pod, source) };
}

/** The static pod's UID: MD5 of the host, the file and the manifest (keys in a stable order). */
export function staticPodUid(pod: Pod, source: { path: string; nodeName: string }): string {
  const h = createHash('md5');
  h.update(`host:${source.nodeName}`);
  h.update(`file:${source.path}`);
  h.update(canonicalJson(pod));
  return h.digest('hex');
}

function applyDefaults(manifest: Pod, source: { path: string; nodeName: string }): Pod {
  const copy = structuredClone(manifest);
  const old = copy.metadata ?? {};
  const uid = old.uid || staticPodUid(manifest, source);
  const meta: ObjectMeta = {
    ...old,
    uid,
    name: `${old.name}-${source.nodeName.toLowerCase()}`,
    namespace: old.namespace || 'default',
    annotations: { ...old.annotations, [CONFIG_HASH_ANNOTATION]: uid, [CONFIG_SOURCE_ANNOTATION]: FILE_SOURCE },
  };
  const spec = copy.spec ?? { containers: [] };
  spec.nodeName = source.nodeName;
  // static pods are not evicted for node problems
  const tolerations = spec.tolerations ?? [];
  if (!tolerations.some((t) => t.operator === 'Exists' && !t.key && t.effect === 'NoExecute')) spec.tolerations = [...tolerations, { operator: 'Exists', effect: 'NoExecute' }];
  defaultSpec(spec);
  return { ...copy, metadata: meta, spec, status: { phase: 'Pending' } };
}

/** The pod defaults the kubelet relies on (the API server's SetDefaults_Pod, for what runs here). */
function defaultSpec(spec: PodSpec): void {
  spec.restartPolicy ||= 'Always';
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) defaultContainer(c, spec.hostNetwork === true);
}

function defaultContainer(c: Container, hostNetwork: boolean): void {
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  if (!c.imagePullPolicy && c.image) c.imagePullPolicy = imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  for (const p of c.ports ?? []) {
    p.protocol ||= 'TCP';
    if (hostNetwork && !p.hostPort) p.hostPort = p.containerPort;
  }
}

function imageTag(image: string): string {
  if (image.includes('@')) return '';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

/** The checks that keep a broken manifest from reaching the pod workers. */
function validate(pod: Pod): string | undefined {
  const name = pod.metadata?.name;
  if (!name) return 'name is needed for the pod';
  const nameErrors = isDNS1123Subdomain(name);
  if (nameErrors.length > 0) return `metadata.name: Invalid value: "${name}": ${nameErrors[0]}`;
  const ns = pod.metadata?.namespace;
  if (ns && isDNS1123Label(ns).length > 0) return `metadata.namespace: Invalid value: "${ns}": ${isDNS1123Label(ns)[0]}`;
  const spec = pod.spec;
  if (!isObject(spec) || !Array.isArray(spec.containers) || spec.containers.length === 0) return 'spec.containers: Required value';
  const names = new Set<string>();
  for (const [i, c] of [...(spec.initContainers ?? []), ...spec.containers].entries()) {
    if (!isObject(c)) return `container ${i}: not an object`;
    if (!c.name || isDNS1123Label(c.name).length > 0) return `containers[${i}].name: Invalid value: "${c.name ?? ''}"`;
    if (names.has(c.name)) return `containers[${i}].name: Duplicate value: "${c.name}"`;
    names.add(c.name);
    if (!c.image) return `containers[${i}].image: Required value`;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
