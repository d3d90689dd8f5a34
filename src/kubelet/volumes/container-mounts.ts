// containerMounts: a container's volumeMounts as runtime Mounts — the mounted volume's host path,
// or a subPath / subPathExpr (expanded against the container's environment) beneath it, created
// when missing and never escaping the volume; read-only when the mount says so or the volume is
// always read-only (configMap, secret, downwardAPI, projected, read-only claims).

import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KeyValue, Mount } from '../../runtime/runtime.js';
import { expand, mappingFor } from '../env/expansion.js';
import { ContainerConfigError } from '../env/errors.js';

/** What mountPod produced for one volume. */
export interface MountedVolume {
  path: string;
  readOnly: boolean;
}

function checkSubPath(subPath: string, what: string): void {
  if (posix.isAbsolute(subPath)) throw new ContainerConfigError(`${what} ${JSON.stringify(subPath)} must be a relative path`);
  if (subPath.split('/').includes('..')) throw new ContainerConfigError(`${what} ${JSON.stringify(subPath)} must not contain '..'`);
}

export function buildContainerMounts(
  container: Container,
  mounted: ReadonlyMap<string, string>,
  readOnlyVolumes: ReadonlySet<string>,
  env: readonly KeyValue[] = [],
): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const base = mounted.get(vm.name);
    if (base === undefined) {
      throw new ContainerConfigError(`cannot find volume ${JSON.stringify(vm.name)} to mount into container ${JSON.stringify(container.name)}`);
    }
    let hostPath = base;
    let subPath = vm.subPath ?? '';
    if (vm.subPathExpr) subPath = expand(vm.subPathExpr, mappingFor(new Map(env.map((e) => [e.key, e.value]))));
    if (subPath) {
      checkSubPath(subPath, vm.subPathExpr ? 'subPathExpr' : 'subPath');
      hostPath = join(base, subPath);
      try {
        mkdirSync(hostPath, { recursive: true, mode: 0o750 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ContainerConfigError(`failed to create subPath directory for volumeMount ${JSON.stringify(vm.name)} of container ${JSON.stringify(container.name)}`);
      }
    }
    mounts.push({ containerPath: vm.mountPath, hostPath, readonly: !!vm.readOnly || readOnlyVolumes.has(vm.name) });
  }
  return mounts;
}
