// The shared pod informer indexed by spec.nodeName, as the node controllers look pods up.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informer/index.js';
import { resources } from '../../client/rest/index.js';

export const POD_NODE_INDEX = 'spec.nodeName';

export function podsByNode(informers: SharedInformerFactory): SharedIndexInformer<Pod> {
  return informers.forResource<Pod>(resources.PODS, { indexers: { [POD_NODE_INDEX]: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) } });
}
