// The resource lock over a coordination.k8s.io/v1 Lease (client-go's resourcelock.LeaseLock): get
// reads the record from the lease and remembers the lease (with its resourceVersion); update
// writes the record into that remembered lease, so a concurrent writer makes it fail with 409
// Conflict instead of being overwritten.

import type { KubeObject } from '../../api/object.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Lease, LeaseApi } from './lease-api.js';
import { leaseSpecFromRecord, rawRecord, recordFromLeaseSpec, type LeaderElectionRecord } from './record.js';

/** A lock leader election can hold (client-go's resourcelock.Interface). */
export interface ResourceLock {
  /** Reads the record; throws NotFound if the lock object does not exist. */
  get(): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(record: LeaderElectionRecord): Promise<void>;
  /** Writes the record over the object last read or written; throws Conflict if it changed. */
  update(record: LeaderElectionRecord): Promise<void>;
  /** Records an event about the lock ("<identity> became leader"). */
  recordEvent(message: string): void;
  /** "namespace/name", for messages. */
  describe(): string;
  identity(): string;
}

export interface LeaseLockOptions {
  namespace: string;
  name: string;
  /** This candidate's unique identity (e.g. hostname plus a random suffix). */
  identity: string;
  client: LeaseApi;
  /** Labels put on the lease when this candidate creates it. */
  labels?: Record<string, string>;
  /** Where "became leader" / "stopped leading" events go (optional). */
  eventRecorder?: Pick<EventRecorder, 'event'>;
}

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(private readonly options: LeaseLockOptions) {}

  async get(): Promise<{ record: LeaderElectionRecord; raw: string }> {
    const lease = await this.options.client.get(this.options.namespace, this.options.name);
    this.lease = lease;
    return { record: recordFromLeaseSpec(lease.spec), raw: rawRecord(lease.spec) };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    const metadata: NonNullable<Lease['metadata']> = { namespace: this.options.namespace, name: this.options.name };
    if (this.options.labels) metadata.labels = { ...this.options.labels };
    this.lease = await this.options.client.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata,
      spec: leaseSpecFromRecord(record),
    });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    const lease: Lease = { ...this.lease, spec: { ...this.lease.spec, ...leaseSpecFromRecord(record) } };
    this.lease = await this.options.client.update(lease);
  }

  recordEvent(message: string): void {
    const recorder = this.options.eventRecorder;
    if (!recorder) return;
    const subject: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(this.lease?.metadata ?? {}), namespace: this.options.namespace, name: this.options.name },
    };
    recorder.event(subject, 'Normal', 'LeaderElection', `${this.options.identity} ${message}`);
  }

  describe(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  identity(): string {
    return this.options.identity;
  }
}
