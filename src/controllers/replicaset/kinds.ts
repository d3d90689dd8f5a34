// The two kinds the replica machinery drives, each a small adapter: apps/v1 ReplicaSet (a
// LabelSelector) and core/v1 ReplicationController (a map selector). Their status shapes are the
// same (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration,
// conditions), so one controller serves both, as kube-controller-manager's does.

import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec, ReplicationController } from 'kubernetes-types/core/v1.js';
import { everything, selectorFromLabelSelector, selectorFromSet, type Selector } from '../../api/labels/index.js';
import type { ResourceDescriptor } from '../../client/rest/index.js';
import { resources } from '../../client/rest/index.js';

export type ReplicaStatus = ReplicaSetStatus;

/** What the controller needs to know about a kind that keeps N pods running. */
export interface ReplicaKind<T extends ReplicaSet | ReplicationController> {
  /** The --controllers name. */
  controllerName: string;
  /** The event source component. */
  component: string;
  descriptor: ResourceDescriptor;
  apiVersion: string;
  kind: string;
  /** The selector over pods; undefined when it is invalid (nothing to do). */
  selector(obj: T): Selector | undefined;
  replicas(obj: T): number;
  minReadySeconds(obj: T): number;
  template(obj: T): PodTemplateSpec | undefined;
}

export const REPLICA_SET_KIND: ReplicaKind<ReplicaSet> = {
  controllerName: 'replicaset',
  component: 'replicaset-controller',
  descriptor: resources.REPLICASETS,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selector(rs) {
    try {
      return selectorFromLabelSelector(rs.spec?.selector);
    } catch {
      return undefined;
    }
  },
  replicas: (rs) => rs.spec?.replicas ?? 1,
  minReadySeconds: (rs) => rs.spec?.minReadySeconds ?? 0,
  template: (rs) => rs.spec?.template,
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind<ReplicationController> = {
  controllerName: 'replicationcontroller',
  component: 'replication-controller',
  descriptor: resources.REPLICATIONCONTROLLERS,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector(rc) {
    const set = rc.spec?.selector;
    if (!set || Object.keys(set).length === 0) return everything();
    try {
      return selectorFromSet(set);
    } catch {
      return undefined;
    }
  },
  replicas: (rc) => rc.spec?.replicas ?? 1,
  minReadySeconds: (rc) => rc.spec?.minReadySeconds ?? 0,
  template: (rc) => rc.spec?.template,
};
