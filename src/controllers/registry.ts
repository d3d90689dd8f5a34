// Every controller Kite's controller manager runs: one line per controller. Each controller lives
// in its own folder; its descriptor names it as kube-controller-manager does.

import type { ControllerDescriptor } from './framework/registry.js';
import { tokenCleanerController } from './bootstrap/index.js';
import { csrApprovingController, csrSigningController } from './certificates/index.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemon/index.js';
import { disruptionController } from './disruption/index.js';
import { endpointsController } from './endpoint/index.js';
import { jobController } from './job/index.js';
import { endpointSliceController, endpointSliceMirroringController } from './endpointslice/index.js';
import { deploymentController } from './deployment/index.js';
import { horizontalPodAutoscalerController } from './podautoscaler/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { namespaceController } from './namespace/index.js';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.js';
import { persistentVolumeBinderController } from './persistentvolume/index.js';
import { podGcController } from './podgc/index.js';
import { replicaSetController, replicationController } from './replicaset/index.js';
import { resourceQuotaController } from './resourcequota/index.js';
import { rootCaCertPublisherController } from './rootcacertpublisher/index.js';
import { serviceAccountController } from './serviceaccount/index.js';
import { statefulSetController } from './statefulset/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';

export const CONTROLLERS: readonly ControllerDescriptor[] = [
  deploymentController,
  replicationController,
  replicaSetController,
  statefulSetController,
  daemonSetController,
  serviceAccountController,
  endpointsController,
  endpointSliceController,
  endpointSliceMirroringController,
  disruptionController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
  garbageCollectorController,
  namespaceController,
  rootCaCertPublisherController,
  nodeLifecycleController,
  taintEvictionController,
  podGcController,
  persistentVolumeBinderController,
  csrApprovingController,
  csrSigningController,
  tokenCleanerController,
  resourceQuotaController,
  horizontalPodAutoscalerController,
];
