// The ReplicaSet and ReplicationController controllers' registrations: one machinery, two kinds.

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ControllerDescriptor } from '../framework/registry.js';
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND } from './kinds.js';
import { ReplicaSetController } from './replica-set-controller.js';

export const replicaSetController: ControllerDescriptor = {
  name: 'replicaset',
  create: (ctx) => new ReplicaSetController<ReplicaSet>(ctx, REPLICA_SET_KIND, { workers: ctx.settings.concurrentReplicaSetSyncs }),
};

export const replicationController: ControllerDescriptor = {
  name: 'replicationcontroller',
  create: (ctx) => new ReplicaSetController<ReplicationController>(ctx, REPLICATION_CONTROLLER_KIND, { workers: ctx.settings.concurrentRCSyncs }),
};
