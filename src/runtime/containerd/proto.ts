// The CRI v1 wire protocol: loads the vendored cri-api api.proto (proto/cri-api/v1, package
// runtime.v1) once and hands out the RuntimeService and ImageService client constructors.
// Decoding options: field names as in the proto (snake_case), int64 → number (nanosecond times
// lose sub-microsecond precision, which the ms contract drops anyway), enums → their names,
// defaults filled in (absent scalars read as 0/""/false, absent messages as null), maps → objects.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface CriServices {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

const PROTO = join('proto', 'cri-api', 'v1', 'api.proto');

/** The vendored api.proto: found by walking up from this module to the package root. */
export function criProtoPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, PROTO);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the CRI proto (${PROTO}) is missing from the package`);
    dir = parent;
  }
}

let services: CriServices | undefined;

/** The runtime.v1 service constructors, loaded on first use. */
export function criServices(): CriServices {
  if (services) return services;
  const definition = protoLoader.loadSync(criProtoPath(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: CriServices } };
  services = root.runtime.v1;
  return services;
}
