// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): every active namespace
// has a ConfigMap kube-root-ca.crt whose ca.crt is the cluster CA the manager trusts the API
// server with, so pods can verify the API server. Keyed by namespace: a new or changed namespace,
// or a change to (or deletion of) the ConfigMap, brings the namespace back; reconcile creates the
// ConfigMap, or puts back its data, as needed.

import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../../api/status-predicates.js';
import { objectOf, type SharedIndexInformer } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';
import { QueueController } from '../framework/controller.js';
import type { ControllerContext } from '../framework/context.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_KEY = 'ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCaCertPublisher extends QueueController {
  private readonly namespaces: SharedIndexInformer<Namespace>;
  private readonly configMaps: SharedIndexInformer<ConfigMap>;

  constructor(ctx: ControllerContext) {
    super('root-ca-cert-publisher', ctx, { workers: ctx.settings.concurrentSyncs });
    this.namespaces = ctx.informers.forResource<Namespace>(resources.NAMESPACES);
    this.configMaps = ctx.informers.forResource<ConfigMap>(resources.CONFIGMAPS);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_, ns) => this.queue.add(ns.metadata?.name ?? ''),
    });
    const onConfigMap = (cm: ConfigMap) => {
      if (cm.metadata?.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata.namespace ?? '');
    };
    this.configMaps.addEventHandler({
      onUpdate: (_, cm) => onConfigMap(cm),
      onDelete: (cm) => onConfigMap(objectOf(cm)),
    });
  }

  protected async reconcile(namespace: string): Promise<void> {
    const pem = this.ctx.rootCaPem;
    if (!pem) return;
    const ns = this.namespaces.lister().get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const client = this.ctx.client.resource<ConfigMap>(resources.CONFIGMAPS).namespace(namespace);
    const current = this.configMaps.lister().namespace(namespace).get(ROOT_CA_CONFIGMAP);
    try {
      if (!current) {
        await client.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { [ROOT_CA_KEY]: pem },
        });
        return;
      }
      const data = current.data ?? {};
      const described = current.metadata?.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION;
      if (data[ROOT_CA_KEY] === pem && Object.keys(data).length === 1 && !current.binaryData && described) return;
      // Owned data only: ca.crt, nothing else; the description annotation.
      const next: ConfigMap = {
        ...current,
        metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { [ROOT_CA_KEY]: pem },
      };
      delete next.binaryData;
      await client.update(next);
    } catch (err) {
      // Created meanwhile (the cache lags), or the namespace is going away: nothing to do.
      if (isAlreadyExists(err) || isNotFound(err) || (isForbidden(err) && /being terminated/.test(String(err)))) return;
      throw err;
    }
  }
}
