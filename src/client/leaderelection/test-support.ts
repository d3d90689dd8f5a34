// Test helpers for leader election: an in-memory Lease API with the API server's compare-and-swap
// semantics (resourceVersion from one global revision; 409 Conflict on a stale version; 404, 409
// AlreadyExists), and a per-candidate view of it that can be cut off from the server.

import { newAlreadyExists, newConflict, newInvalid, newNotFound } from '../../api/status-errors.js';
import * as field from '../../api/field-errors.js';
import type { Lease, LeaseApi } from './lease-api.js';

const leasesResource = { group: 'coordination.k8s.io', resource: 'leases' };

export class InMemoryLeaseApi implements LeaseApi {
  private readonly leases = new Map<string, Lease>();
  private revision = 0;
  /** Every successful write, in order: [verb, holderIdentity]. */
  readonly writes: { verb: 'create' | 'update'; holder: string; resourceVersion: string }[] = [];

  async get(namespace: string, name: string): Promise<Lease> {
    const lease = this.leases.get(`${namespace}/${name}`);
    if (!lease) throw newNotFound(leasesResource, name);
    return structuredClone(lease);
  }

  async create(lease: Lease): Promise<Lease> {
    const key = `${lease.metadata?.namespace ?? ''}/${lease.metadata?.name ?? ''}`;
    if (this.leases.has(key)) throw newAlreadyExists(leasesResource, lease.metadata?.name ?? '');
    return this.store(key, lease, 'create');
  }

  async update(lease: Lease): Promise<Lease> {
    const name = lease.metadata?.name ?? '';
    const key = `${lease.metadata?.namespace ?? ''}/${name}`;
    const current = this.leases.get(key);
    if (!current) throw newNotFound(leasesResource, name);
    const rv = lease.metadata?.resourceVersion;
    if (!rv) throw newInvalid({ group: 'coordination.k8s.io', kind: 'Lease' }, name, [field.invalid(field.path('metadata', 'resourceVersion'), 0, 'must be specified for an update')]);
    if (rv !== current.metadata?.resourceVersion) {
      throw newConflict(leasesResource, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.store(key, lease, 'update');
  }

  /** The stored lease (a copy), or undefined. */
  peek(namespace: string, name: string): Lease | undefined {
    const lease = this.leases.get(`${namespace}/${name}`);
    return lease ? structuredClone(lease) : undefined;
  }

  private store(key: string, lease: Lease, verb: 'create' | 'update'): Lease {
    const resourceVersion = String(++this.revision);
    const stored: Lease = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion } };
    this.leases.set(key, stored);
    this.writes.push({ verb, holder: stored.spec?.holderIdentity ?? '', resourceVersion });
    return structuredClone(stored);
  }
}

/**
 * One candidate's connection to a LeaseApi, which a test can cut (errors), stall (no answer) or
 * hold (requests wait until `letGo()`, then reach the server in order).
 */
export class FlakyLeaseApi implements LeaseApi {
  mode: 'ok' | 'partitioned' | 'hanging' | 'held' = 'ok';
  calls = 0;
  private held: (() => void)[] = [];

  constructor(private readonly inner: LeaseApi) {}

  get(namespace: string, name: string): Promise<Lease> {
    return this.call(() => this.inner.get(namespace, name));
  }

  create(lease: Lease): Promise<Lease> {
    return this.call(() => this.inner.create(lease));
  }

  update(lease: Lease): Promise<Lease> {
    return this.call(() => this.inner.update(lease));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.mode === 'partitioned') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    if (this.mode === 'hanging') return new Promise<T>(() => {});
    if (this.mode === 'held') return new Promise<void>((resolve) => this.held.push(resolve)).then(fn);
    return fn();
  }

  /** Requests waiting in 'held' mode. */
  heldCount(): number {
    return this.held.length;
  }

  /** Back to 'ok'; the held requests go on to the server in the order they were made. */
  letGo(): void {
    this.mode = 'ok';
    const held = this.held;
    this.held = [];
    for (const resolve of held) resolve();
  }
}
