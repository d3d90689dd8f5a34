// etcd server versions and the behaviour Kite depends on. WatchProgressRequest answers are only
// ordered after the events they cover from etcd 3.4.31 / 3.5.13 / 3.6 on (etcd issues #15220 and
// #17507; Kubernetes gates consistent reads from its watch cache on the same versions). On older
// servers the watch adds a barrier round trip before trusting a progress answer (see watch.ts).

export interface EtcdVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): EtcdVersion | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** True when the server orders progress answers after every event they cover. */
export function hasReliableProgress(version: EtcdVersion | undefined): boolean {
  if (!version) return false;
  const { major, minor, patch } = version;
  if (major !== 3) return major > 3;
  if (minor >= 6) return true;
  if (minor === 5) return patch >= 13;
  if (minor === 4) return patch >= 31;
  return false;
}
