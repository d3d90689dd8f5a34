// Kubernetes protobuf request bodies: what endpoints/ uses of this folder.
export { decodeProtobuf, PROTOBUF_MEDIA_TYPE, type ProtobufTarget } from './decode.js';
export { servesProtobuf } from './schema.js';
