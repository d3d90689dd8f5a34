// The in-tree registry (plugins.NewInTreeRegistry): plugin name → factory.

import type { PluginFactory, Registry } from '../framework/interfaces.js';
import { newDefaultBinder } from './defaultbinder/default-binder.js';
import { newDefaultPreemption } from './defaultpreemption/default-preemption.js';
import { newImageLocality } from './imagelocality/image-locality.js';
import { newInterPodAffinity } from './interpodaffinity/inter-pod-affinity.js';
import { newNodeAffinity } from './nodeaffinity/node-affinity.js';
import { newNodeName } from './nodename/node-name.js';
import { newNodePorts } from './nodeports/node-ports.js';
import { newNodeResourcesBalancedAllocation } from './noderesources/balanced-allocation.js';
import { newNodeResourcesFit } from './noderesources/fit.js';
import { newNodeUnschedulable } from './nodeunschedulable/node-unschedulable.js';
import { newPodTopologySpread } from './podtopologyspread/pod-topology-spread.js';
import { newTaintToleration } from './tainttoleration/taint-toleration.js';
import { newVolumeBinding } from './volumebinding/volume-binding.js';

export function inTreeRegistry(): Registry {
  return new Map<string, PluginFactory>([
    ['NodeUnschedulable', newNodeUnschedulable],
    ['NodeName', newNodeName],
    ['NodePorts', newNodePorts],
    ['NodeResourcesFit', newNodeResourcesFit],
    ['NodeResourcesBalancedAllocation', newNodeResourcesBalancedAllocation],
    ['VolumeBinding', newVolumeBinding],
    ['TaintToleration', newTaintToleration],
    ['NodeAffinity', newNodeAffinity],
    ['InterPodAffinity', newInterPodAffinity],
    ['PodTopologySpread', newPodTopologySpread],
    ['ImageLocality', newImageLocality],
    ['DefaultPreemption', newDefaultPreemption],
    ['DefaultBinder', newDefaultBinder],
  ]);
}
