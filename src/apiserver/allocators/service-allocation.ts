// ServiceAllocation: cluster IPs and node ports for Services, as kube-apiserver's service
// registry allocates them (pkg/registry/core/service/storage/alloc.go), run as an admission plugin.
//
// - admit, CREATE: a ClusterIP/NodePort/LoadBalancer service that is not headless gets a cluster
//   IP (the one it asks for, if free and in range; else a random free one — never the range's
//   first address, which is the `kubernetes` service's); NodePort and LoadBalancer services get a
//   node port for every port without one (ports with the same number share one), and a
//   LoadBalancer with externalTrafficPolicy Local a health check node port.
// - admit, UPDATE: what the new object needs and the old did not hold is allocated the same way
//   (ExternalName → ClusterIP, ClusterIP → NodePort, new ports, …).
// - committed: after a DELETE everything the deleted service held is released; after an UPDATE
//   what the old object held and the stored one does not (NodePort → ClusterIP, a port removed,
//   → ExternalName); after either, whatever this request allocated that did not end up stored.
// - dry run: requested values are checked, nothing is taken; automatic values are placeholders
//   as kube-apiserver's (the network address; node ports counting up from 32769).
//
// A write can still fail after admit allocated (another plugin refuses it, the store fails): the
// allocation then leaks until ServiceAllocationRepair (repair.ts) finds it unused — or at once,
// if the caller reports the failure through aborted(). Creates in a missing or terminating
// namespace and creates of an existing name are refused here, before anything is allocated.

import * as field from '../../api/field-errors.js';
import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import { newAlreadyExists, newForbidden, newInternalError, newInvalid, newNotFound } from '../../api/status-errors.js';
import { isStorageError } from '../../storage/errors.js';
import type { Store } from '../../storage/interface.js';
import type { Logger } from '../../util/log.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/admission.js';
import { objectKey } from '../registry/keys.js';
import type { Random } from './bitmap.js';
import { AllocationError, nodePortAllocator, serviceIPAllocator, type ItemAllocator, type ItemTxn } from './item-allocator.js';
import { IPRange, parseIP, PortRange } from './ranges.js';
import {
  heldIPs,
  heldPorts,
  isHeadless,
  needsClusterIP,
  needsHealthCheck,
  needsNodePort,
  shouldAllocateNodePorts,
  type Svc,
} from './service-fields.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

export interface ServiceAllocationOptions {
  /** --service-cidr; default 10.96.0.0/12. */
  serviceCIDR?: string;
  /** --service-node-port-range; default 30000-32767. */
  nodePortRange?: string;
  /** Random source in [0, 1) for picking free items; default Math.random. */
  random?: Random;
  logger?: Logger;
}

/** What one request (one admitted object, across its compare-and-swap retries) took and may free. */
interface RequestState {
  /** Taken by this request (not yet confirmed by a committed write). */
  ips: Set<string>;
  ports: Set<number>;
  /** What the old object held, as of the latest admit attempt (UPDATE). */
  oldIPs: string[];
  oldPorts: number[];
}

const SERVICE = { group: '', kind: 'Service' };
const SERVICES_DEF = { group: '', resource: 'services', namespaced: true };
const NAMESPACES_DEF = { group: '', resource: 'namespaces', namespaced: false };

/** A failure of one port of a service: spec.ports[index].nodePort. */
class PortFailure extends Error {
  constructor(
    readonly index: number,
    readonly value: number,
    override readonly cause: AllocationError,
  ) {
    super(cause.message);
  }
}

/** A failure kube-apiserver reports as an internal error (health check port, duplicate node port). */
class InternalFailure extends Error {}

export class ServiceAllocation implements AdmissionPlugin {
  readonly name = 'ServiceAllocation';
  readonly ipRange: IPRange;
  readonly portRange: PortRange;
  readonly ips: ItemAllocator<string>;
  readonly nodePorts: ItemAllocator<number>;
  private readonly logger?: Logger;
  /** Keyed by the admitted object and by its spec (the store hands back the stored object as a
   *  shallow copy, so the spec is how committed() finds the request that wrote it). */
  private readonly requests = new WeakMap<object, RequestState>();

  constructor(
    private readonly store: Store,
    options: ServiceAllocationOptions = {},
  ) {
    this.ipRange = IPRange.parse(options.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
    this.portRange = PortRange.parse(options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
    const random = options.random ?? Math.random;
    this.ips = serviceIPAllocator(store, this.ipRange, random);
    this.nodePorts = nodePortAllocator(store, this.portRange, random);
    this.logger = options.logger;
  }

  /** The first address of the service CIDR: the `kubernetes` service's cluster IP. */
  get kubernetesServiceIP(): string {
    return this.ipRange.itemAt(0);
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (!isServiceWrite(attrs) || !attrs.object) return;
    const svc = attrs.object as Svc;
    if (attrs.operation === 'CREATE') await this.admitCreate(attrs, svc);
    else if (attrs.operation === 'UPDATE' && attrs.oldObject) await this.admitUpdate(attrs, svc, attrs.oldObject as Svc);
  }

  async committed(attrs: AdmissionAttributes): Promise<void> {
    if (!isServiceWrite(attrs) || attrs.dryRun) return;
    if (attrs.operation === 'DELETE') {
      const old = attrs.oldObject as Svc | undefined;
      await this.release(heldIPs(old), heldPorts(old));
      return;
    }
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
    const stored = attrs.object as Svc | undefined;
    if (!stored) return;
    const state = this.lookup(stored);
    if (!state) {
      // Not a request this plugin admitted (or the stored object is not the admitted one's
      // copy): with the object it replaced at hand, release what that held and this does not.
      const old = attrs.oldObject as Svc | undefined;
      if (attrs.operation === 'UPDATE' && old) {
        const keepIPs = new Set(heldIPs(stored));
        const keepPorts = new Set(heldPorts(stored));
        await this.release(
          heldIPs(old).filter((ip) => !keepIPs.has(ip)),
          heldPorts(old).filter((p) => !keepPorts.has(p)),
        );
      }
      return;
    }
    this.forget(stored);
    const keepIPs = new Set(heldIPs(stored));
    const keepPorts = new Set(heldPorts(stored));
    const ips = [...new Set([...state.ips, ...state.oldIPs])].filter((ip) => !keepIPs.has(ip));
    const ports = [...new Set([...state.ports, ...state.oldPorts])].filter((p) => !keepPorts.has(p));
    await this.release(ips, ports);
  }

  /**
   * Tells the plugin that a write it admitted failed: what the request allocated is released at
   * once (otherwise the repair pass finds it later). attrs.object is the object admit saw.
   */
  async aborted(attrs: AdmissionAttributes): Promise<void> {
    if (!isServiceWrite(attrs) || attrs.dryRun || !attrs.object) return;
    const state = this.lookup(attrs.object as Svc);
    if (!state) return;
    this.forget(attrs.object as Svc);
    await this.release([...state.ips], [...state.ports]);
  }

  // ---- CREATE ---------------------------------------------------------------------------------

  private async admitCreate(attrs: AdmissionAttributes, svc: Svc): Promise<void> {
    const wantsIP = needsClusterIP(svc) && !isHeadless(svc);
    const wantsPorts = needsNodePort(svc) || needsHealthCheck(svc);
    if (!wantsIP && !wantsPorts) return;
    if (wantsIP) this.checkFamilies(svc);
    if (!attrs.dryRun) await this.checkCreatable(attrs, svc);
    const state = this.stateOf(svc);
    const tookIP = wantsIP ? await this.assignClusterIP(svc, attrs.dryRun, state) : undefined;
    try {
      if (wantsPorts) await this.assignNodePorts(svc, undefined, attrs.dryRun, state);
    } catch (err) {
      if (tookIP) {
        state.ips.delete(tookIP);
        await this.release([tookIP], []);
      }
      throw err;
    }
  }

  /** Refuses, before allocating, the creates that would fail anyway (so nothing leaks). */
  private async checkCreatable(attrs: AdmissionAttributes, svc: Svc): Promise<void> {
    const namespace = attrs.namespace ?? svc.metadata?.namespace;
    const name = svc.metadata?.name;
    if (namespace) {
      const ns = await this.getOrUndefined<KubeObject & { status?: { phase?: string } }>(objectKey(NAMESPACES_DEF, undefined, namespace));
      if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, namespace);
      if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        throw newForbidden(
          { group: '', resource: 'services' },
          name ?? '',
          `unable to create new content in namespace ${namespace} because it is being terminated`,
        );
      }
    }
    if (name && !svc.metadata?.generateName && (await this.getOrUndefined(objectKey(SERVICES_DEF, namespace, name)))) {
      throw newAlreadyExists({ group: '', resource: 'services' }, name);
    }
  }

  // ---- UPDATE ---------------------------------------------------------------------------------

  private async admitUpdate(attrs: AdmissionAttributes, svc: Svc, old: Svc): Promise<void> {
    const state = this.stateOf(svc);
    state.oldIPs = attrs.dryRun ? [] : heldIPs(old);
    state.oldPorts = attrs.dryRun ? [] : heldPorts(old);
    // ExternalName → a type with a cluster IP: allocate as on create. (Cluster IPs are immutable
    // otherwise; validation has refused any other change.)
    let tookIP: string | undefined;
    if (needsClusterIP(svc) && !needsClusterIP(old) && !isHeadless(svc)) {
      this.checkFamilies(svc);
      tookIP = await this.assignClusterIP(svc, attrs.dryRun, state);
    }
    try {
      if (needsNodePort(svc) || needsHealthCheck(svc)) await this.assignNodePorts(svc, old, attrs.dryRun, state);
    } catch (err) {
      if (tookIP) {
        state.ips.delete(tookIP);
        await this.release([tookIP], []);
      }
      throw err;
    }
  }

  // ---- cluster IPs ----------------------------------------------------------------------------

  /** Sets spec.clusterIP(s); returns the IP if this call took it from the range. */
  private async assignClusterIP(svc: Svc, dryRun: boolean, state: RequestState): Promise<string | undefined> {
    const spec = (svc.spec ??= {});
    const requested = spec.clusterIPs?.[0] || spec.clusterIP || '';
    let ip: string;
    let took: string | undefined;
    if (!requested) {
      if (dryRun) ip = this.ipRange.networkAddress();
      else {
        try {
          ip = await this.ips.allocateNext();
        } catch (err) {
          throw allocationFailure(err, (e) => newInternalError(`failed to allocate a serviceIP: ${e.message}`));
        }
        took = ip;
      }
    } else {
      ip = requested;
      const invalidIP = (e: AllocationError) =>
        newInvalid(SERVICE, svc.metadata?.name ?? '', [field.invalid(field.path('spec', 'clusterIPs'), spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${e.message}`)]);
      if (state.ips.has(ip)) {
        // Taken by this request on an earlier attempt (a compare-and-swap retry).
      } else if (dryRun) {
        try {
          this.ips.checkInRange(ip);
        } catch (err) {
          throw allocationFailure(err, invalidIP);
        }
      } else {
        try {
          await this.ips.allocate(ip);
        } catch (err) {
          throw allocationFailure(err, invalidIP);
        }
        took = ip;
      }
    }
    if (took) state.ips.add(took);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return took;
  }

  /** The service's IP families must be the range's (single-stack clusters only, for now). */
  private checkFamilies(svc: Svc): void {
    const spec = svc.spec ?? {};
    const family = this.ipRange.family;
    const errs: FieldError[] = [];
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errs.push(field.invalid(field.path('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    const ips = spec.clusterIPs ?? [];
    if (ips.length > 1 && (spec.ipFamilyPolicy ?? 'SingleStack') === 'SingleStack') {
      errs.push(
        field.invalid(field.path('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy ?? 'SingleStack', "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"),
      );
    }
    ips.forEach((ip, i) => {
      const f = parseIP(ip)?.family;
      if (f && f !== family) errs.push(field.invalid(field.path('spec', 'clusterIPs').index(i), ips, `${f} is not configured on this cluster`));
      else if (i > 0) errs.push(field.invalid(field.path('spec', 'clusterIPs').index(i), ips, `${family} is not configured on this cluster`));
    });
    (spec.ipFamilies ?? []).forEach((f, i) => {
      if (f !== family) errs.push(field.invalid(field.path('spec', 'ipFamilies').index(i), f, 'not configured on this cluster'));
    });
    if (errs.length > 0) throw newInvalid(SERVICE, svc.metadata?.name ?? '', errs);
  }

  // ---- node ports -----------------------------------------------------------------------------

  /**
   * Node ports for a NodePort/LoadBalancer service and its health check port: initNodePorts and
   * allocHealthCheckNodePort on create (old undefined), updateNodePorts and
   * updateHealthCheckNodePort on update. One all-or-nothing change of the node port bitmap.
   */
  private async assignNodePorts(svc: Svc, old: Svc | undefined, dryRun: boolean, state: RequestState): Promise<void> {
    const plan = (t: ItemTxn<number>): { assigned: (number | undefined)[]; healthCheck?: number; took: number[] } => {
      const took: number[] = [];
      // What this request already holds (old object, earlier attempts) is not taken again.
      const oldPorts = new Set(old ? heldPortsOfPorts(old) : []);
      const take = (port: number, index: number): void => {
        if (state.ports.has(port)) return;
        try {
          t.take(port);
        } catch (err) {
          if (err instanceof AllocationError) throw new PortFailure(index, port, err);
          throw err;
        }
        took.push(port);
      };
      const takeNext = (): number => {
        const port = t.takeNext();
        took.push(port);
        return port;
      };
      const spec = svc.spec ?? {};
      const ports = spec.ports ?? [];
      const assigned: (number | undefined)[] = ports.map((p) => p.nodePort || undefined);
      if (needsNodePort(svc)) {
        if (!old) {
          // initNodePorts: ports with the same number share a node port.
          const byPort = new Map<number, number>();
          ports.forEach((p, i) => {
            if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
            const shared = byPort.get(p.port);
            if (shared === undefined) {
              const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort;
              const np = requested ?? takeNext();
              if (requested) take(requested, i);
              assigned[i] = np;
              byPort.set(p.port, np);
            } else if (p.nodePort !== shared) {
              if (!p.nodePort) assigned[i] = shared;
              else take(p.nodePort, i);
            }
          });
        } else {
          // updateNodePorts: keep what the old object held, take what is new.
          const takenNow = new Set<number>();
          const seen = new Set<string>();
          ports.forEach((p, i) => {
            if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
            let np = p.nodePort;
            if (np) {
              if (!oldPorts.has(np) && !takenNow.has(np)) {
                take(np, i);
                takenNow.add(np);
              }
            } else {
              np = takeNext();
              assigned[i] = np;
            }
            const key = `${p.protocol ?? 'TCP'}/${np}`;
            if (seen.has(key)) throw new InternalFailure(`duplicate nodePort: {${p.protocol ?? 'TCP'} ${np}}`);
            seen.add(key);
          });
        }
      }
      let healthCheck: number | undefined;
      const neededBefore = old ? needsHealthCheck(old) : false;
      if (needsHealthCheck(svc) && !neededBefore) {
        const requested = spec.healthCheckNodePort;
        if (requested) {
          if (!state.ports.has(requested)) {
            try {
              t.take(requested);
            } catch (err) {
              throw new InternalFailure(`failed to allocate requested HealthCheck NodePort ${requested}: ${(err as Error).message}`);
            }
            took.push(requested);
          }
          healthCheck = requested;
        } else {
          try {
            healthCheck = takeNext();
          } catch (err) {
            throw new InternalFailure(`failed to allocate a HealthCheck NodePort 0: ${(err as Error).message}`);
          }
        }
      }
      return { assigned, healthCheck, took };
    };

    let result: ReturnType<typeof plan>;
    try {
      result = dryRun ? plan(await this.dryRunPorts()) : await this.nodePorts.change(plan);
    } catch (err) {
      if (err instanceof PortFailure) {
        throw newInvalid(SERVICE, svc.metadata?.name ?? '', [field.invalid(field.path('spec', 'ports').index(err.index).child('nodePort'), err.value, err.message)]);
      }
      if (err instanceof InternalFailure) throw newInternalError(err.message);
      throw allocationFailure(err, (e) => newInternalError(`failed to allocate a nodePort: ${e.message}`));
    }
    if (!dryRun) for (const p of result.took) state.ports.add(p);
    const ports = svc.spec?.ports ?? [];
    result.assigned.forEach((np, i) => {
      if (np !== undefined && ports[i]) ports[i].nodePort = np;
    });
    if (result.healthCheck !== undefined && svc.spec) svc.spec.healthCheckNodePort = result.healthCheck;
  }

  /** A read-only stand-in for the node port bitmap: checks what is asked for, takes nothing, and
   *  makes up placeholders for automatic ports as kube-apiserver's dry run does (32769, 32770, …). */
  private async dryRunPorts(): Promise<ItemTxn<number>> {
    const { bitmap } = await this.nodePorts.stored.snapshot();
    const range = this.portRange;
    const taken: number[] = [];
    const has = (p: number): boolean => {
      const o = range.offsetOf(p);
      return taken.includes(p) || (o !== undefined && bitmap.has(o));
    };
    return {
      has,
      take: (p) => {
        if (range.offsetOf(p) === undefined) throw new AllocationError('NotInRange', `provided port is not in the valid range. The range of valid ports is ${range.spec}`);
        if (has(p)) throw new AllocationError('Allocated', 'provided port is already allocated');
        taken.push(p);
      },
      takeNext: () => {
        const next = (taken.length === 0 ? 32768 : Math.max(...taken)) + 1;
        taken.push(next);
        return next;
      },
      release: () => {},
    };
  }

  // ---- helpers --------------------------------------------------------------------------------

  private stateOf(svc: Svc): RequestState {
    let state = this.lookup(svc);
    if (!state) {
      state = { ips: new Set(), ports: new Set(), oldIPs: [], oldPorts: [] };
      this.requests.set(svc, state);
    }
    if (svc.spec) this.requests.set(svc.spec, state);
    return state;
  }

  private lookup(svc: Svc | undefined): RequestState | undefined {
    if (!svc) return undefined;
    return this.requests.get(svc) ?? (svc.spec ? this.requests.get(svc.spec) : undefined);
  }

  private forget(svc: Svc): void {
    this.requests.delete(svc);
    if (svc.spec) this.requests.delete(svc.spec);
  }

  private async release(ips: readonly string[], ports: readonly number[]): Promise<void> {
    const results = await Promise.allSettled([this.ips.release(ips), this.nodePorts.release(ports)]);
    for (const r of results) {
      if (r.status === 'rejected') this.logger?.warn('releasing service allocations failed; the repair pass will', { ips, ports, error: r.reason });
    }
  }

  private async getOrUndefined<T extends KubeObject>(key: string): Promise<T | undefined> {
    try {
      return await this.store.get<T>(key);
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) return undefined;
      throw err;
    }
  }
}

function isServiceWrite(attrs: AdmissionAttributes): boolean {
  return attrs.resource.group === '' && attrs.resource.resource === 'services' && !attrs.subresource;
}

/** The node ports of a service's ports (not the health check port): what updateNodePorts keeps. */
function heldPortsOfPorts(s: Svc): number[] {
  return (s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
}

/** Maps an AllocationError through toStatus; anything else becomes an internal error. */
function allocationFailure(err: unknown, toStatus: (e: AllocationError) => Error): Error {
  if (err instanceof AllocationError) return toStatus(err);
  if ((err as { status?: unknown }).status !== undefined) return err as Error;
  return newInternalError(err);
}
