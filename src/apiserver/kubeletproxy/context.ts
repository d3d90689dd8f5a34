// What the kubelet proxies need from the API server: the kubelet credentials, reads of pods and
// nodes (through the registry, so they see what clients see), the clock and the long-running
// registry (so a graceful shutdown ends open log streams and sessions).

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../util/clock.js';
import type { LongRunningRegistry } from '../serving/long-running.js';
import type { KubeletClientConfig } from './kubelet-client.js';

export interface KubeletProxyContext {
  kubelet: KubeletClientConfig;
  clock: Clock;
  longRunning: LongRunningRegistry;
  /** The pod, or a NotFound StatusError. */
  getPod(namespace: string, name: string): Promise<Pod>;
  /** The node, or a NotFound StatusError. */
  getNode(name: string): Promise<Node>;
  listNodes(): Promise<Node[]>;
  /** Pods of one namespace, or of all when namespace is undefined. */
  listPods(namespace: string | undefined): Promise<Pod[]>;
}
