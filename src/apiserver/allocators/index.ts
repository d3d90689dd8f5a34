// Service cluster IP and node port allocation: the admission plugin, the repair pass, the
// `kubernetes` service, and the pieces under them (ranges, bitmaps, stored RangeAllocations).

export {
  ServiceAllocation,
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SERVICE_CIDR,
  type ServiceAllocationOptions,
} from './service-allocation.js';
export { ServiceAllocationRepair, type RepairOptions, type RepairReport, type RangeRepairReport } from './repair.js';
export {
  ensureKubernetesService,
  KUBERNETES_SERVICE_NAME,
  KUBERNETES_SERVICE_NAMESPACE,
  type KubernetesServiceOptions,
  type ServiceRegistry,
} from './kubernetes-service.js';
export { AllocationBitmap, type Random } from './bitmap.js';
export { IPRange, PortRange, parseIP, formatIP, type IPFamily, type ItemRange } from './ranges.js';
export { AllocationError, ItemAllocator, SERVICE_IPS_KEY, SERVICE_NODE_PORTS_KEY } from './item-allocator.js';
export { StoredRange, RangeMismatchError, type RangeAllocationObject } from './stored-range.js';
