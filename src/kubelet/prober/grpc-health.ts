// The grpc.health.v1 Health service, defined inline (no .proto file to ship): the package
// definition for @grpc/grpc-js clients and servers, and the message shapes.

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface HealthCheckRequest {
  service?: string;
}

export interface HealthCheckResponse {
  status: ServingStatus;
}

const HEALTH_PROTO = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
                },
                Health: {
                  methods: {
                    Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' },
                    Watch: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse', responseStream: true },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

let loaded: grpc.ServiceClientConstructor | undefined;

/** The generated Health client constructor (its `.service` is the server-side definition). */
export function healthService(): grpc.ServiceClientConstructor {
  if (!loaded) {
    const def = protoLoader.fromJSON(HEALTH_PROTO as unknown as Parameters<typeof protoLoader.fromJSON>[0], { enums: String, defaults: true, keepCase: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
    loaded = pkg.grpc.health.v1.Health;
  }
  return loaded;
}
