// Facts about the host the kubelet reports in its Node: CPUs, memory, the data directory's
// filesystem size, kernel, OS image (/etc/os-release), machine id, boot id and architecture.

import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem } from 'node:os';

export interface HostInfo {
  hostname: string;
  cpuCount: number;
  memoryBytes: number;
  /** Size of the filesystem holding the data directory. */
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  /** GOARCH style: amd64, arm64, … */
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

const readTrimmed = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

/** PRETTY_NAME from os-release text ("Linux" when absent). */
export function osImageFrom(osRelease: string): string {
  for (const line of osRelease.split('\n')) {
    const m = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) return m[1].replace(/^["']|["']$/g, '');
  }
  return 'Linux';
}

export function goArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return map[nodeArch] ?? nodeArch;
}

export function readHostInfo(dataDir: string): HostInfo {
  let ephemeralStorageBytes = 0;
  try {
    const fs = statfsSync(dataDir);
    ephemeralStorageBytes = Number(fs.blocks) * Number(fs.bsize);
  } catch {
    // the data dir is created before the kubelet starts; a missing one reports 0
  }
  return {
    hostname: hostname().toLowerCase(),
    cpuCount: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes,
    kernelVersion: release(),
    osImage: osImageFrom(readTrimmed('/etc/os-release')),
    operatingSystem: process.platform === 'win32' ? 'windows' : process.platform,
    architecture: goArch(arch()),
    machineID: readTrimmed('/etc/machine-id'),
    systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid'),
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
  };
}
