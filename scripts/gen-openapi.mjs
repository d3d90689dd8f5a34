#!/usr/bin/env node
// Generates the OpenAPI definitions of every built-in Kubernetes kind from the TypeScript declarations
// of the `kubernetes-types` package (node_modules/kubernetes-types/**/*.d.ts), in Kubernetes' own
// naming (io.k8s.api.core.v1.Pod, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...), and writes
// them to generated/openapi-definitions.json. src/apiserver/openapi/ builds /openapi/v2 and
// /openapi/v3 and strict field validation from that file.
//
// Usage: node scripts/gen-openapi.mjs [--out FILE] [--check]
//   --check  exit 1 if the output file is missing or differs from what would be generated.
//
// The declarations carry descriptions, required/optional markers and kind/apiVersion literals but not
// Kubernetes' patch strategies, list types or integer-vs-float distinction; those come from the tables
// below, which restate the struct tags and markers of the Go types (k8s.io/api, k8s.io/apimachinery and
// k8s.io/apiextensions-apiserver at v0.30.0, the release kubernetes-types 1.30 describes).
// Deterministic: same input, byte-identical output.
import ts from 'typescript';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesRoot = join(root, 'node_modules', 'kubernetes-types');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : join(root, 'generated', 'openapi-definitions.json');
const checkOnly = args.includes('--check');

const REF_PREFIX = '#/components/schemas/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

// --- tables -----------------------------------------------------------------------------------

// Fields with a patch strategy (patchStrategy/patchMergeKey struct tags), a list type other than
// atomic (+listType/+listMapKey markers; unannotated lists are atomic) or an atomic map
// (+mapType=atomic). "<module> <Type>.<field> patch=… key=… list=… keys=a,b map=…".
const FIELD_EXTENSIONS = [
  'admissionregistration/v1 MutatingWebhook.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1 MutatingWebhookConfiguration.webhooks patch=merge key=name list=map keys=name',
  'admissionregistration/v1 ValidatingAdmissionPolicyBindingSpec.validationActions list=set',
  'admissionregistration/v1 ValidatingAdmissionPolicySpec.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1 ValidatingAdmissionPolicySpec.variables patch=merge key=name list=map keys=name',
  'admissionregistration/v1 ValidatingAdmissionPolicyStatus.conditions list=map keys=type',
  'admissionregistration/v1 ValidatingWebhook.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1 ValidatingWebhookConfiguration.webhooks patch=merge key=name list=map keys=name',
  'admissionregistration/v1alpha1 ValidatingAdmissionPolicyBindingSpec.validationActions list=set',
  'admissionregistration/v1alpha1 ValidatingAdmissionPolicySpec.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1alpha1 ValidatingAdmissionPolicySpec.variables patch=merge key=name list=map keys=name',
  'admissionregistration/v1alpha1 ValidatingAdmissionPolicyStatus.conditions list=map keys=type',
  'admissionregistration/v1beta1 MutatingWebhook.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1beta1 MutatingWebhookConfiguration.webhooks patch=merge key=name list=map keys=name',
  'admissionregistration/v1beta1 ValidatingAdmissionPolicyBindingSpec.validationActions list=set',
  'admissionregistration/v1beta1 ValidatingAdmissionPolicySpec.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1beta1 ValidatingAdmissionPolicySpec.variables patch=merge key=name list=map keys=name',
  'admissionregistration/v1beta1 ValidatingAdmissionPolicyStatus.conditions list=map keys=type',
  'admissionregistration/v1beta1 ValidatingWebhook.matchConditions patch=merge key=name list=map keys=name',
  'admissionregistration/v1beta1 ValidatingWebhookConfiguration.webhooks patch=merge key=name list=map keys=name',
  'apiextensions/v1 CustomResourceDefinitionStatus.conditions list=map keys=type',
  'apiextensions/v1 JSONSchemaProps.x-kubernetes-validations patch=merge key=rule list=map keys=rule',
  'apiserverinternal/v1alpha1 ServerStorageVersion.decodableVersions list=set',
  'apiserverinternal/v1alpha1 ServerStorageVersion.servedVersions list=set',
  'apiserverinternal/v1alpha1 StorageVersionStatus.conditions list=map keys=type',
  'apiserverinternal/v1alpha1 StorageVersionStatus.storageVersions list=map keys=apiServerID',
  'apps/v1 DaemonSetStatus.conditions patch=merge key=type list=map keys=type',
  'apps/v1 DeploymentSpec.strategy patch=retainKeys',
  'apps/v1 DeploymentStatus.conditions patch=merge key=type list=map keys=type',
  'apps/v1 ReplicaSetStatus.conditions patch=merge key=type list=map keys=type',
  'apps/v1 StatefulSetStatus.conditions patch=merge key=type list=map keys=type',
  'autoscaling/v2 HorizontalPodAutoscalerStatus.conditions patch=merge key=type list=map keys=type',
  'batch/v1 JobStatus.conditions patch=merge key=type list=atomic',
  'batch/v1 PodFailurePolicyOnExitCodesRequirement.values list=set',
  'batch/v1 UncountedTerminatedPods.failed list=set',
  'batch/v1 UncountedTerminatedPods.succeeded list=set',
  'certificates/v1 CertificateSigningRequestStatus.conditions list=map keys=type',
  'core/v1 ComponentStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 Container.env patch=merge key=name list=map keys=name',
  'core/v1 Container.ports patch=merge key=containerPort list=map keys=containerPort,protocol',
  'core/v1 Container.volumeDevices patch=merge key=devicePath list=map keys=devicePath',
  'core/v1 Container.volumeMounts patch=merge key=mountPath list=map keys=mountPath',
  'core/v1 ContainerStatus.volumeMounts patch=merge key=mountPath list=map keys=mountPath',
  'core/v1 EphemeralContainer.env patch=merge key=name list=map keys=name',
  'core/v1 EphemeralContainer.ports patch=merge key=containerPort list=map keys=containerPort,protocol',
  'core/v1 EphemeralContainer.volumeDevices patch=merge key=devicePath list=map keys=devicePath',
  'core/v1 EphemeralContainer.volumeMounts patch=merge key=mountPath list=map keys=mountPath',
  'core/v1 NamespaceStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 NodeSpec.podCIDRs patch=merge list=set',
  'core/v1 NodeStatus.addresses patch=merge key=type list=map keys=type',
  'core/v1 NodeStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 PersistentVolumeClaimStatus.allocatedResourceStatuses map=granular',
  'core/v1 PersistentVolumeClaimStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 PodSpec.containers patch=merge key=name list=map keys=name',
  'core/v1 PodSpec.ephemeralContainers patch=merge key=name list=map keys=name',
  'core/v1 PodSpec.hostAliases patch=merge key=ip list=map keys=ip',
  'core/v1 PodSpec.imagePullSecrets patch=merge key=name list=map keys=name',
  'core/v1 PodSpec.initContainers patch=merge key=name list=map keys=name',
  'core/v1 PodSpec.nodeSelector map=atomic',
  'core/v1 PodSpec.resourceClaims patch=merge,retainKeys key=name list=map keys=name',
  'core/v1 PodSpec.schedulingGates patch=merge key=name list=map keys=name',
  'core/v1 PodSpec.topologySpreadConstraints patch=merge key=topologyKey list=map keys=topologyKey,whenUnsatisfiable',
  'core/v1 PodSpec.volumes patch=merge,retainKeys key=name list=map keys=name',
  'core/v1 PodStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 PodStatus.hostIPs patch=merge key=ip list=atomic',
  'core/v1 PodStatus.podIPs patch=merge key=ip list=map keys=ip',
  'core/v1 PodStatus.resourceClaimStatuses patch=merge,retainKeys key=name list=map keys=name',
  'core/v1 ReplicationControllerSpec.selector map=atomic',
  'core/v1 ReplicationControllerStatus.conditions patch=merge key=type list=map keys=type',
  'core/v1 ResourceRequirements.claims list=map keys=name',
  'core/v1 ServiceAccount.secrets patch=merge key=name list=map keys=name',
  'core/v1 ServiceSpec.ports patch=merge key=port list=map keys=port,protocol',
  'core/v1 ServiceSpec.selector map=atomic',
  'core/v1 ServiceStatus.conditions patch=merge key=type list=map keys=type',
  'discovery/v1 Endpoint.addresses list=set',
  'flowcontrol/v1 FlowSchemaStatus.conditions patch=merge key=type list=map keys=type',
  'flowcontrol/v1 NonResourcePolicyRule.nonResourceURLs list=set',
  'flowcontrol/v1 NonResourcePolicyRule.verbs list=set',
  'flowcontrol/v1 PriorityLevelConfigurationStatus.conditions patch=merge key=type list=map keys=type',
  'flowcontrol/v1 ResourcePolicyRule.apiGroups list=set',
  'flowcontrol/v1 ResourcePolicyRule.namespaces list=set',
  'flowcontrol/v1 ResourcePolicyRule.resources list=set',
  'flowcontrol/v1 ResourcePolicyRule.verbs list=set',
  'flowcontrol/v1beta3 FlowSchemaStatus.conditions patch=merge key=type list=map keys=type',
  'flowcontrol/v1beta3 NonResourcePolicyRule.nonResourceURLs list=set',
  'flowcontrol/v1beta3 NonResourcePolicyRule.verbs list=set',
  'flowcontrol/v1beta3 PriorityLevelConfigurationStatus.conditions patch=merge key=type list=map keys=type',
  'flowcontrol/v1beta3 ResourcePolicyRule.apiGroups list=set',
  'flowcontrol/v1beta3 ResourcePolicyRule.namespaces list=set',
  'flowcontrol/v1beta3 ResourcePolicyRule.resources list=set',
  'flowcontrol/v1beta3 ResourcePolicyRule.verbs list=set',
  'meta/v1 ObjectMeta.finalizers patch=merge list=set',
  'meta/v1 ObjectMeta.ownerReferences patch=merge key=uid list=map keys=uid',
  'networking/v1alpha1 ServiceCIDRStatus.conditions patch=merge key=type list=map keys=type',
  'node/v1 Scheduling.nodeSelector map=atomic',
  'policy/v1 PodDisruptionBudgetSpec.selector patch=replace',
  'policy/v1 PodDisruptionBudgetStatus.conditions patch=merge key=type list=map keys=type',
  'resource/v1alpha2 PodSchedulingContextStatus.resourceClaims list=map keys=name',
  'resource/v1alpha2 ResourceClaimStatus.reservedFor patch=merge key=uid list=map keys=uid',
  'storage/v1 CSIDriverSpec.volumeLifecycleModes list=set',
  'storage/v1 CSINodeSpec.drivers patch=merge key=name list=map keys=name',
  'storagemigration/v1alpha1 StorageVersionMigrationList.items patch=merge key=type list=map keys=type',
  'storagemigration/v1alpha1 StorageVersionMigrationStatus.conditions patch=merge key=type list=map keys=type',
];

// The only floating-point fields of the built-in API (float64 in Go); every other number is an integer.
const FLOAT_FIELDS = new Set([
  'apiextensions/v1 JSONSchemaProps.maximum',
  'apiextensions/v1 JSONSchemaProps.minimum',
  'apiextensions/v1 JSONSchemaProps.multipleOf',
]);

// JSONSchemaProps fields that the Go type has and kubernetes-types 1.30 leaves out (the
// x-kubernetes-* vendor extensions a CRD's schema may use).
const JSON_SCHEMA_PROPS_EXTRA = {
  'x-kubernetes-embedded-resource': {
    type: 'boolean',
    description:
      'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata).',
  },
  'x-kubernetes-int-or-string': {
    type: 'boolean',
    description:
      'x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns: 1) anyOf: - type: integer - type: string 2) allOf: - anyOf: - type: integer - type: string - ... zero or more',
  },
  'x-kubernetes-list-map-keys': {
    type: 'array',
    items: { type: 'string' },
    description:
      'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map. This tag MUST only be used on lists that have the "x-kubernetes-list-type" extension set to "map". Also, the values specified for this attribute must be a scalar typed field of the child structure (no nesting is supported). The properties specified must either be required or have a default value, to ensure those properties are present for all list items.',
  },
  'x-kubernetes-list-type': {
    type: 'string',
    description:
      'x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values: 1) `atomic`: the list is treated as a single entity, like a scalar. Atomic lists will be entirely replaced when updated. This extension may be used on any type of list (struct, scalar, ...). 2) `set`: Sets are lists that must not have multiple items with the same value. Each value must be a scalar, an object with x-kubernetes-map-type `atomic` or an array with x-kubernetes-list-type `atomic`. 3) `map`: These lists are like maps in that their elements have a non-index key used to identify them. Order is preserved upon merge. The map tag must only be used on a list with elements of type object. Defaults to atomic for arrays.',
  },
  'x-kubernetes-map-type': {
    type: 'string',
    description:
      'x-kubernetes-map-type annotates an object to further describe its topology. This extension must only be used when type is object and may have 2 possible values: 1) `granular`: These maps are actual maps (key-value pairs) and each fields are independent from each other (they can each be manipulated by separate actors). This is the default behaviour for all maps. 2) `atomic`: the list is treated as a single entity, like a scalar. Atomic maps will be entirely replaced when updated.',
  },
  'x-kubernetes-preserve-unknown-fields': {
    type: 'boolean',
    description:
      'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This affects fields recursively, but switches back to normal pruning behaviour if nested properties or additionalProperties are specified in the schema. This can either be true or undefined. False is forbidden.',
  },
  'x-kubernetes-validations': {
    type: 'array',
    items: { $ref: `${REF_PREFIX}io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule` },
    description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
  },
};

// --- names ------------------------------------------------------------------------------------

/** Kubernetes' OpenAPI package prefix of a kubernetes-types module ("core/v1", "meta/v1", "runtime", ...). */
function packageOf(module) {
  switch (module) {
    case 'meta/v1':
      return 'io.k8s.apimachinery.pkg.apis.meta.v1';
    case 'api/resource':
      return 'io.k8s.apimachinery.pkg.api.resource';
    case 'runtime':
      return 'io.k8s.apimachinery.pkg.runtime';
    case 'version':
      return 'io.k8s.apimachinery.pkg.version';
    case 'apiextensions/v1':
      return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
    default:
      return `io.k8s.api.${module.replace(/\//g, '.')}`;
  }
}

// --- parsing ----------------------------------------------------------------------------------

function declarationFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return declarationFiles(path);
      return name.endsWith('.d.ts') ? [path] : [];
    });
}

function docOf(node) {
  const docs = (node.jsDoc ?? []).filter((d) => d.comment !== undefined);
  if (docs.length === 0) return undefined;
  const text = ts.getTextOfJSDocComment(docs[docs.length - 1].comment);
  return text ? text.trim() : undefined;
}

function memberName(name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new Error(`unsupported member name ${name.getText()}`);
}

function parseModule(file) {
  const module = relative(typesRoot, file).replace(/\.d\.ts$/, '').split('\\').join('/');
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const imports = new Map(); // local name -> module
  const interfaces = [];
  const aliases = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const spec = statement.moduleSpecifier.text;
      const target = join(dirname(module), spec).split('\\').join('/');
      for (const element of statement.importClause?.namedBindings?.elements ?? []) {
        imports.set(element.name.text, { module: target, name: (element.propertyName ?? element.name).text });
      }
    } else if (ts.isInterfaceDeclaration(statement)) {
      interfaces.push(statement);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      aliases.push(statement);
    }
  }
  return { module, imports, interfaces, aliases };
}

// --- conversion -------------------------------------------------------------------------------

function generate() {
  const modules = declarationFiles(typesRoot).map(parseModule);
  const local = new Map(); // module -> Set of declared names
  for (const m of modules) local.set(m.module, new Set([...m.interfaces, ...m.aliases].map((d) => d.name.text)));

  const extensions = new Map();
  for (const line of FIELD_EXTENSIONS) {
    const [module, field, ...attrs] = line.split(' ');
    const ext = {};
    for (const attr of attrs) {
      const [k, v] = attr.split('=');
      if (k === 'patch') ext['x-kubernetes-patch-strategy'] = v;
      else if (k === 'key') ext['x-kubernetes-patch-merge-key'] = v;
      else if (k === 'list') ext['x-kubernetes-list-type'] = v;
      else if (k === 'keys') ext['x-kubernetes-list-map-keys'] = v.split(',');
      else if (k === 'map') ext['x-kubernetes-map-type'] = v;
      else throw new Error(`bad extension table entry: ${line}`);
    }
    if (Object.keys(ext).length > 0) extensions.set(`${module} ${field}`, ext);
  }
  const usedExtensions = new Set();

  const definitions = {};
  const gvks = []; // every group/version/kind of a top-level kind

  for (const m of modules) {
    const pkg = packageOf(m.module);
    const refTo = (name) => {
      if (local.get(m.module).has(name)) return `${pkg}.${name}`;
      const imported = m.imports.get(name);
      if (!imported) throw new Error(`${m.module}: unresolved type ${name}`);
      return `${packageOf(imported.module)}.${imported.name}`;
    };
    const convert = (node, where) => {
      switch (node.kind) {
        case ts.SyntaxKind.StringKeyword:
          return { type: 'string' };
        case ts.SyntaxKind.NumberKeyword:
          return FLOAT_FIELDS.has(where) ? { type: 'number', format: 'double' } : { type: 'integer' };
        case ts.SyntaxKind.BooleanKeyword:
          return { type: 'boolean' };
        case ts.SyntaxKind.LiteralType:
          if (ts.isStringLiteral(node.literal)) return { type: 'string' };
          break;
        case ts.SyntaxKind.ArrayType:
          return { type: 'array', items: convert(node.elementType, where) };
        case ts.SyntaxKind.TypeReference: {
          const name = node.typeName.getText();
          if (name === 'Array') return { type: 'array', items: convert(node.typeArguments[0], where) };
          return { $ref: REF_PREFIX + refTo(name) };
        }
        case ts.SyntaxKind.TypeLiteral: {
          const index = node.members.find(ts.isIndexSignatureDeclaration);
          if (index && node.members.length === 1) {
            return { type: 'object', additionalProperties: convert(index.type, where) };
          }
          break;
        }
        case ts.SyntaxKind.UnionType: {
          const kinds = node.types.map((t) => t.kind).sort();
          if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) {
            return { $ref: REF_PREFIX + INT_OR_STRING };
          }
          break;
        }
        default:
          break;
      }
      throw new Error(`${where}: unsupported type ${node.getText()}`);
    };

    for (const decl of m.interfaces) {
      const name = decl.name.text;
      const def = {};
      const description = docOf(decl);
      if (description) def.description = description;
      def.type = 'object';
      const properties = {};
      const required = [];
      let kind;
      let apiVersion;
      for (const member of decl.members) {
        if (!ts.isPropertySignature(member)) throw new Error(`${m.module} ${name}: unsupported member`);
        const field = memberName(member.name);
        const where = `${m.module} ${name}.${field}`;
        let schema = convert(member.type, where);
        const fieldDescription = docOf(member);
        if (schema.$ref) schema = { allOf: [schema] };
        if (fieldDescription) schema.description = fieldDescription;
        const ext = extensions.get(where);
        if (ext) {
          Object.assign(schema, ext);
          usedExtensions.add(where);
        }
        properties[field] = sortKeys(schema);
        if (!member.questionToken) required.push(field);
        if (ts.isLiteralTypeNode(member.type) && ts.isStringLiteral(member.type.literal)) {
          if (field === 'kind') kind = member.type.literal.text;
          if (field === 'apiVersion') apiVersion = member.type.literal.text;
        }
      }
      if (Object.keys(properties).length > 0) def.properties = properties;
      if (required.length > 0) def.required = required;
      if (kind && apiVersion) {
        const slash = apiVersion.indexOf('/');
        const gvk = {
          group: slash < 0 ? '' : apiVersion.slice(0, slash),
          kind,
          version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
        };
        def['x-kubernetes-group-version-kind'] = [gvk];
        gvks.push(gvk);
      }
      definitions[`${pkg}.${name}`] = def;
    }
    for (const decl of m.aliases) {
      const description = docOf(decl);
      definitions[`${pkg}.${decl.name.text}`] = description ? { description } : {};
    }
  }

  // --- special types (their Go types marshal to something other than their fields) -------------
  const special = (name, schema) => {
    if (!definitions[name]) throw new Error(`missing definition ${name}`);
    const description = definitions[name].description;
    definitions[name] = description ? { description, ...schema } : schema;
  };
  const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
  const apiext = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
  special('io.k8s.apimachinery.pkg.api.resource.Quantity', {
    oneOf: [{ type: 'string' }, { type: 'number' }],
    'x-kubernetes-int-or-string': true,
  });
  definitions[INT_OR_STRING] = {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  };
  special(`${meta}.Time`, { type: 'string', format: 'date-time' });
  special(`${meta}.MicroTime`, { type: 'string', format: 'date-time' });
  special(`${meta}.FieldsV1`, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  special(`${meta}.Patch`, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  special('io.k8s.apimachinery.pkg.runtime.RawExtension', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  special(`${apiext}.JSON`, { 'x-kubernetes-preserve-unknown-fields': true });
  for (const name of ['JSONSchemaPropsOrArray', 'JSONSchemaPropsOrBool', 'JSONSchemaPropsOrStringArray']) {
    special(`${apiext}.${name}`, { 'x-kubernetes-preserve-unknown-fields': true });
  }
  const props = definitions[`${apiext}.JSONSchemaProps`].properties;
  for (const [field, schema] of Object.entries(JSON_SCHEMA_PROPS_EXTRA)) {
    const where = `apiextensions/v1 JSONSchemaProps.${field}`;
    props[field] = sortKeys({ ...schema, ...(extensions.get(where) ?? {}) });
    usedExtensions.add(where);
  }
  definitions[`${apiext}.JSONSchemaProps`].properties = sortKeys(props);

  // An entry may name a type kubernetes-types does not declare (the Go package has types its
  // group version no longer serves); an entry naming a missing field of a declared type is a typo.
  for (const key of extensions.keys()) {
    const [module, field] = key.split(' ');
    const type = field.slice(0, field.indexOf('.'));
    if (!usedExtensions.has(key) && definitions[`${packageOf(module)}.${type}`]) {
      throw new Error(`extension table entry matches no field: ${key}`);
    }
  }

  // Options and events shared by every group version carry every group version's kind, as in
  // Kubernetes; Status is the core group's.
  const groupVersions = [...new Map(gvks.map((g) => [`${g.group}/${g.version}`, g])).values()].sort((a, b) =>
    a.group === b.group ? a.version.localeCompare(b.version) : a.group.localeCompare(b.group),
  );
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    definitions[`${meta}.${kind}`]['x-kubernetes-group-version-kind'] = groupVersions.map((g) => ({
      group: g.group,
      kind,
      version: g.version,
    }));
  }
  definitions[`${meta}.Status`]['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];

  // every $ref must resolve
  const check = (schema, where) => {
    if (Array.isArray(schema)) return schema.forEach((s) => check(s, where));
    if (!schema || typeof schema !== 'object') return;
    if (typeof schema.$ref === 'string' && !definitions[schema.$ref.slice(REF_PREFIX.length)]) {
      throw new Error(`${where}: dangling ${schema.$ref}`);
    }
    for (const [k, v] of Object.entries(schema)) if (k !== 'x-kubernetes-group-version-kind') check(v, where);
  };
  for (const [name, def] of Object.entries(definitions)) check(def, name);

  const version = JSON.parse(readFileSync(join(typesRoot, 'package.json'), 'utf8')).version;
  const sorted = {};
  for (const name of Object.keys(definitions).sort()) sorted[name] = sortKeys(definitions[name]);
  return { kubernetesTypesVersion: version, definitions: sorted };
}

function sortKeys(object) {
  const out = {};
  for (const key of Object.keys(object).sort()) out[key] = object[key];
  return out;
}

const started = process.hrtime.bigint();
const result = generate();
const text = `${JSON.stringify(result)}\n`;
const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : undefined;
if (checkOnly) {
  if (current !== text) {
    process.stderr.write(`${relative(root, outFile)} is missing or stale; run node scripts/gen-openapi.mjs\n`);
    process.exit(1);
  }
} else if (current !== text) {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
process.stdout.write(
  `gen-openapi: ${Object.keys(result.definitions).length} definitions from kubernetes-types ${result.kubernetesTypesVersion} ` +
    `-> ${relative(root, outFile)} (${text.length} bytes, sha256 ${hash}, ${ms.toFixed(0)} ms${current === text ? ', unchanged' : ''})\n`,
);
