// Custom resources: CustomResourceDefinitions turned into served resources (the controller), the
// ResourceDefinition of a CRD version, and the lookups the server's OpenAPI and field validation
// use for custom resources.

export { CrdController, CUSTOM_RESOURCE_CLEANUP_FINALIZER, type CrdControllerOptions } from './controller.js';
export {
  customResourceDefinition,
  customResourceDefinitions,
  customResourceOpenApiSchema,
  customResourceUnknownFields,
  customResourceVersionOf,
  isCustomResource,
  servedNames,
} from './definition.js';
export { printerColumns } from './printer-columns.js';
export { SchemaValidator } from './schema-validator.js';
export type { CustomResourceVersion } from './strategy.js';
