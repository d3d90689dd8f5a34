// The downward API's container resources (resourceFieldRef), shared by environment variables and
// downwardAPI volume files: limits/requests of cpu, memory, ephemeral-storage (and hugepages-*),
// divided by the divisor and rounded up, with a missing limit defaulting to the node's allocatable
// amount — as the kubelet's defaultPodLimitsForDownwardAPI and ExtractContainerResourceValue do.

import type { Container, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import { ContainerConfigError } from './errors.js';

/** Resource name → quantity string, as in a ResourceList. */
export type ResourceList = Record<string, string>;

const DEFAULTED = ['cpu', 'memory', 'ephemeral-storage'];

function parse(q: string | undefined): Quantity {
  if (q === undefined || q === '') return Quantity.of(0);
  try {
    return Quantity.parse(String(q));
  } catch (err) {
    throw new ContainerConfigError(`invalid quantity ${JSON.stringify(q)}: ${(err as Error).message}`);
  }
}

/** The container's limits with node allocatable filled in for cpu, memory, ephemeral-storage and hugepages. */
export function limitsWithAllocatable(container: Container, allocatable: ResourceList): ResourceList {
  const limits: ResourceList = { ...(container.resources?.limits ?? {}) };
  for (const [name, amount] of Object.entries(allocatable)) {
    if (!(DEFAULTED.includes(name) || name.startsWith('hugepages-'))) continue;
    if (limits[name] === undefined) limits[name] = amount;
  }
  return limits;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new ContainerConfigError('divisor must not be zero');
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/** The value of a resourceFieldRef for `container` (the selector's containerName, when set, names another one). */
export function containerResourceValue(selector: ResourceFieldSelector, pod: Pod, container: Container, allocatable: ResourceList): string {
  let target = container;
  if (selector.containerName) {
    const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const found = all.find((c) => c.name === selector.containerName);
    if (!found) throw new ContainerConfigError(`container ${selector.containerName} not found`);
    target = found;
  }
  const divisor = selector.divisor === undefined || parse(selector.divisor).isZero() ? Quantity.of(1) : parse(selector.divisor);
  const dot = selector.resource.indexOf('.');
  const kind = selector.resource.slice(0, dot);
  const name = selector.resource.slice(dot + 1);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests') || !(DEFAULTED.includes(name) || name.startsWith('hugepages-'))) {
    throw new ContainerConfigError(`unsupported container resource : ${selector.resource}`);
  }
  const list = kind === 'limits' ? limitsWithAllocatable(target, allocatable) : (target.resources?.requests ?? {});
  const amount = parse(list[name]);
  // cpu in millicores, the others in whole units, each rounded up (math.Ceil of the ratio).
  if (name === 'cpu') return ceilDiv(amount.scaledValue(-3), divisor.scaledValue(-3)).toString();
  return ceilDiv(amount.scaledValue(0), divisor.scaledValue(0)).toString();
}
