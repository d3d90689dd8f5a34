// What every controller is built from (kube-controller-manager's ControllerContext): the REST
// client, the process's one shared informer factory, event recorders, the clock, the logger, the
// work-queue metrics provider and the manager's settings (its flags).

import type { EventRecorder } from '../../client/events/index.js';
import type { SharedInformerFactory } from '../../client/informer/index.js';
import type { RestClient } from '../../client/rest/index.js';
import type { MetricsProvider } from '../../client/workqueue/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { CertificateAuthority } from '../../util/pki/index.js';
import type { ControllerSettings } from './settings.js';

export interface ControllerContext {
  client: RestClient;
  /** Shared by every controller of the process: one informer per resource. */
  informers: SharedInformerFactory;
  /** An event recorder reporting as `component` (e.g. "replicaset-controller"). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  logger: Logger;
  metricsProvider: MetricsProvider;
  settings: ControllerSettings;
  /** PEM of the cluster CA the manager trusts the API server with (published as kube-root-ca.crt); "" when unknown. */
  rootCaPem: string;
  /** The CA the CSR signer signs approved requests with; undefined: nothing is signed. */
  clusterSigning?: CertificateAuthority;
  /** Uniform [0, 1). */
  random: () => number;
}
