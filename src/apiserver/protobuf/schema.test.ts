import assert from 'node:assert/strict';
import { it } from 'node:test';
import protobuf from 'protobufjs';
import { loadDefinitions } from '../openapi/definitions.js';
import { builtinResources } from '../registry/builtin.js';
import { messageFor, parseTag, protoSchema, servesProtobuf } from './schema.js';

/** Fields Kubernetes added after 1.30, the release Kite's OpenAPI definitions describe. */
const NEWER_THAN_DEFINITIONS = new Set([
  'io.k8s.api.core.v1.ContainerStatus.user',
  'io.k8s.api.core.v1.ContainerStatus.allocatedResourcesStatus',
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures.userNamespaces',
  'io.k8s.api.core.v1.NodeStatus.features',
  'io.k8s.api.core.v1.PodResourceClaim.resourceClaimName',
  'io.k8s.api.core.v1.PodResourceClaim.resourceClaimTemplateName',
  'io.k8s.api.core.v1.PodSecurityContext.supplementalGroupsPolicy',
  'io.k8s.api.core.v1.PodSecurityContext.seLinuxChangePolicy',
  'io.k8s.api.core.v1.PodSpec.resources',
  'io.k8s.api.core.v1.ResourceClaim.request',
  'io.k8s.api.core.v1.Volume.image',
  'io.k8s.api.coordination.v1.LeaseSpec.strategy',
  'io.k8s.api.coordination.v1.LeaseSpec.preferredHolder',
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential',
  'io.k8s.api.authorization.v1.ResourceAttributes.fieldSelector',
  'io.k8s.api.authorization.v1.ResourceAttributes.labelSelector',
  // not newer, but lost from kubernetes-types 1.30's declaration of ResourceRule
  'io.k8s.api.authorization.v1.ResourceRule.verbs',
  'io.k8s.api.authorization.v1.ResourceRule.resources',
]);

it('parses json tags with pointer marks', () => {
  assert.deepEqual(parseTag('replicas,omitempty*'), { json: 'replicas', omitempty: true, inline: false, pointer: true });
  assert.deepEqual(parseTag(',inline'), { json: '', omitempty: false, inline: true, pointer: false });
  assert.deepEqual(parseTag('name'), { json: 'name', omitempty: false, inline: false, pointer: false });
});

it('has a message for every built-in kind Kite serves', () => {
  for (const def of builtinResources()) {
    assert.ok(servesProtobuf(def.group, def.version), `${def.group}/${def.version}`);
    assert.ok(messageFor(def.group, def.version, def.kind), `${def.kind}.${def.group}/${def.version}`);
  }
  assert.equal(servesProtobuf('stable.example.com', 'v1'), false);
  assert.equal(messageFor('', 'v1', 'ObjectMeta'), undefined, 'meta types are not core kinds');
});

it('gives every field the JSON name of the OpenAPI definitions', () => {
  const schema = protoSchema();
  const definitions = loadDefinitions();
  const jsonNames = (type: protobuf.Type): string[] =>
    type.fieldsArray.flatMap((f) => {
      const tag = schema.tag(type, f);
      return tag.inline && f.resolvedType instanceof protobuf.Type ? jsonNames(f.resolvedType) : [tag.json || f.name];
    });
  const wrong: string[] = [];
  let checked = 0;
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) {
        const name = o.fullName.replace(/^\.k8s\.io\./, 'io.k8s.').replace('apiextensions_apiserver', 'apiextensions-apiserver');
        const properties = definitions.get(name)?.properties;
        if (properties) {
          checked++;
          for (const json of jsonNames(o)) if (!(json in properties) && !NEWER_THAN_DEFINITIONS.has(`${name}.${json}`)) wrong.push(`${name}.${json}`);
        }
      }
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o);
    }
  };
  walk(schema.root);
  assert.ok(checked > 300, `checked ${checked} messages`);
  assert.deepEqual(wrong, []);
});
