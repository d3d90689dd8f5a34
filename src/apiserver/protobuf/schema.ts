// The Kubernetes protobuf schema Kite decodes with: the vendored generated.proto files
// (proto/k8s.io/..., loaded once with protobufjs) and proto/json-fields.json (the json tags and
// pointer-ness of the Go fields, which decide each field's JSON form). Also which API group
// versions have protobuf messages, and the message for a group/version/kind.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../openapi/definitions.js';

/** A served API group's protobuf package: its folder under proto/ and its proto package name
 *  (each + "/VERSION"), and the versions vendored. */
interface GroupPackage {
  dir: string;
  pkg: string;
  versions: readonly string[];
}
const api = (name: string, versions: readonly string[]): GroupPackage => ({ dir: `k8s.io/api/${name}`, pkg: `k8s.io.api.${name}`, versions });

/** API group → its package: the groups Kite serves built-in kinds of. */
const GROUP_PACKAGES: Readonly<Record<string, GroupPackage>> = {
  '': api('core', ['v1']),
  apps: api('apps', ['v1']),
  'authentication.k8s.io': api('authentication', ['v1']),
  'authorization.k8s.io': api('authorization', ['v1']),
  autoscaling: api('autoscaling', ['v1', 'v2']),
  batch: api('batch', ['v1']),
  'certificates.k8s.io': api('certificates', ['v1']),
  'coordination.k8s.io': api('coordination', ['v1']),
  'discovery.k8s.io': api('discovery', ['v1']),
  'events.k8s.io': api('events', ['v1']),
  policy: api('policy', ['v1']),
  'rbac.authorization.k8s.io': api('rbac', ['v1']),
  'scheduling.k8s.io': api('scheduling', ['v1']),
  'storage.k8s.io': api('storage', ['v1']),
  'apiextensions.k8s.io': {
    dir: 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions',
    pkg: 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions',
    versions: ['v1'],
  },
};
const META_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** meta/v1 kinds that every group version also registers (client-go sends DeleteOptions bodies). */
const META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status']);
const API_FILES = Object.values(GROUP_PACKAGES).flatMap(({ dir, versions }) => versions.map((v) => `${dir}/${v}/generated.proto`));

/** One Go field's JSON facts, from its json tag and type. */
export interface FieldTag {
  /** The JSON name ("" for an inline field). */
  json: string;
  omitempty: boolean;
  inline: boolean;
  /** The Go field is a pointer: present on the wire means present in JSON, even when zero. */
  pointer: boolean;
}

export interface ProtoSchema {
  root: protobuf.Root;
  /** JSON facts of a field of a message (the json tag "NAME,omitempty" when not recorded). */
  tag(type: protobuf.Type, field: protobuf.Field): FieldTag;
  /** The message is a Go slice type (`type ExtraValue []string`): its JSON is the bare array of items. */
  isSlice(type: protobuf.Type): boolean;
}

let loaded: ProtoSchema | undefined;

/** The schema, loaded from the package's proto/ folder on first use. */
export function protoSchema(): ProtoSchema {
  if (loaded) return loaded;
  const dir = join(packageRoot(), 'proto');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(dir, target);
  root.loadSync(API_FILES, { keepCase: true });
  root.resolveAll();
  const tags = JSON.parse(readFileSync(join(dir, 'json-fields.json'), 'utf8')) as Record<string, Record<string, string>>;
  const parsed = new Map<string, FieldTag>();
  loaded = {
    root,
    tag(type, field) {
      const key = `${type.fullName}.${field.name}`;
      let tag = parsed.get(key);
      if (!tag) {
        tag = parseTag(tags[type.fullName.slice(1)]?.[field.name] ?? `${field.name},omitempty`);
        parsed.set(key, tag);
      }
      return tag;
    },
    isSlice: (type) => tags[type.fullName.slice(1)]?.['items'] === '[]',
  };
  return loaded;
}

/** `name,omitempty*` → its facts ("*" marks a pointer field). */
export function parseTag(text: string): FieldTag {
  const pointer = text.endsWith('*');
  const [json = '', ...options] = (pointer ? text.slice(0, -1) : text).split(',');
  return { json, omitempty: options.includes('omitempty'), inline: options.includes('inline'), pointer };
}

/** Whether the group version has protobuf messages (built-in groups do; custom resources do not). */
export function servesProtobuf(group: string, version: string): boolean {
  return GROUP_PACKAGES[group]?.versions.includes(version) ?? false;
}

/** The message of a kind in a group version, or undefined when none is registered. */
export function messageFor(group: string, version: string, kind: string): protobuf.Type | undefined {
  if (!servesProtobuf(group, version) || !/^[A-Za-z]\w*$/.test(kind)) return undefined;
  const name = META_KINDS.has(kind) ? `${META_PACKAGE}.${kind}` : `${GROUP_PACKAGES[group]?.pkg ?? ''}.${version}.${kind}`;
  const found = protoSchema().root.lookup(name);
  return found instanceof protobuf.Type ? found : undefined;
}

/** The message a Kubernetes protobuf body is wrapped in (runtime.Unknown). */
export function unknownMessage(): protobuf.Type {
  return protoSchema().root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
}
