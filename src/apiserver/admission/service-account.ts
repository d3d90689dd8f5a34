// ServiceAccount admission, as kube-apiserver's: a new pod without spec.serviceAccountName runs as
// `default`; its account must exist (a missing `default` is looked up again for a while, since the
// serviceaccount controller creates it asynchronously), else 403 "error looking up service
// account NS/NAME: …". Unless automountServiceAccountToken is false (the pod's word first, then the
// account's), every container and init container without a mount at
// /var/run/secrets/kubernetes.io/serviceaccount gets the read-only kube-api-access-<5 chars>
// projected volume there: a bound token (3607 s), kube-root-ca.crt's ca.crt and the namespace.
// The account's imagePullSecrets are copied to a pod that names none. Mirror pods (a kubelet's
// static pods) are left alone — changing their spec would have the kubelet replace them — and are
// refused (403) when they reference a service account, a secret or a ServiceAccountToken projection.

import type { Container, EphemeralContainer, Pod, PodSpec, ServiceAccount, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { newForbidden } from '../../api/status-errors.js';
import type { Clock } from '../../util/clock.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The bound token lifetime the kubelet is asked for: an hour and seven seconds, as Kubernetes. */
export const SERVICE_ACCOUNT_TOKEN_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** Kubernetes' generateName alphabet: no vowels, no confusable digits. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** A missing `default` account is looked up this many times, 100–200 ms apart. */
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

export interface ServiceAccountAdmissionOptions {
  /** The account, or undefined when it does not exist. */
  getServiceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  clock: Clock;
  /** [0, 1); Math.random by default. */
  random?: () => number;
}

export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: SERVICE_ACCOUNT_TOKEN_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

export class ServiceAccountAdmission implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  private readonly random: () => number;

  constructor(private readonly options: ServiceAccountAdmissionOptions) {
    this.random = options.random ?? Math.random;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
    const pod = attrs.object as Pod | undefined;
    if (!pod || pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    const spec = (pod.spec ??= { containers: [] });
    spec.serviceAccountName ||= DEFAULT_SERVICE_ACCOUNT;
    const namespace = attrs.namespace ?? '';
    const sa = await this.lookup(namespace, spec.serviceAccountName);
    if (!sa) {
      throw newForbidden(
        { group: '', resource: 'pods' },
        attrs.name ?? pod.metadata?.name ?? '',
        `error looking up service account ${namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
      );
    }
    if (spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true) this.mountToken(spec);
    if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
      spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name ?? '' }));
    }
  }

  validate(attrs: AdmissionAttributes): void {
    if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.resource.group !== '' || attrs.resource.resource !== 'pods') return;
    const pod = attrs.object as Pod | undefined;
    if (!pod || pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] === undefined) return;
    const problem = mirrorPodProblem(pod.spec);
    if (problem) throw newForbidden({ group: '', resource: 'pods' }, attrs.name ?? pod.metadata?.name ?? '', problem);
  }

  private async lookup(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
    const interval = 100 + Math.floor(this.random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await this.options.clock.sleep(interval);
      const sa = await this.options.getServiceAccount(namespace, name);
      if (sa) return sa;
    }
    return undefined;
  }

  private mountToken(spec: NonNullable<Pod['spec']>): void {
    const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX));
    const volumeName = existing?.name ?? SERVICE_ACCOUNT_VOLUME_PREFIX + this.suffix();
    const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    let needed = false;
    for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
      if ((container.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
      container.volumeMounts = [...(container.volumeMounts ?? []), { ...mount }];
      needed = true;
    }
    if (!existing && needed) spec.volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
  }

  private suffix(): string {
    let out = '';
    for (let i = 0; i < 5; i++) out += NAME_ALPHABET[Math.floor(this.random() * NAME_ALPHABET.length)];
    return out;
  }
}

/** Why a mirror pod may not be created, as the ServiceAccount plugin's Validate says; undefined if it may. */
function mirrorPodProblem(spec: PodSpec | undefined): string | undefined {
  if (!spec) return undefined;
  if (spec.serviceAccountName) return 'a mirror pod may not reference service accounts';
  if (referencesSecrets(spec)) return 'a mirror pod may not reference secrets';
  if ((spec.volumes ?? []).some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken))) {
    return 'a mirror pod may not use ServiceAccountToken volume projections';
  }
  return undefined;
}

/** podutil.VisitPodSecretNames over all containers: any secret the pod names. */
function referencesSecrets(spec: PodSpec): boolean {
  if (spec.imagePullSecrets?.length) return true;
  const containers: (Container | EphemeralContainer)[] = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    if (c.envFrom?.some((e) => e.secretRef)) return true;
    if (c.env?.some((e) => e.valueFrom?.secretKeyRef)) return true;
  }
  return (spec.volumes ?? []).some(
    (v) =>
      v.secret ||
      v.projected?.sources?.some((s) => s.secret) ||
      v.azureFile?.secretName ||
      v.cephfs?.secretRef ||
      v.cinder?.secretRef ||
      v.flexVolume?.secretRef ||
      v.rbd?.secretRef ||
      v.scaleIO?.secretRef ||
      v.iscsi?.secretRef ||
      v.storageos?.secretRef ||
      v.csi?.nodePublishSecretRef,
  );
}
