// Opening a backend from configuration: the one place that knows which backends exist.

import type { Backend } from './backend.js';
import { openEtcdBackend } from './etcd/backend.js';
import { openSqliteBackend } from './sqlite/backend.js';

export type StorageConfig =
  | {
      kind: 'sqlite';
      /** The database file. */
      path: string;
      /** SQLite's synchronous setting: 'full' survives power loss, 'normal' a process kill. */
      synchronous?: 'full' | 'normal' | 'off';
    }
  | {
      kind: 'etcd';
      endpoints: string[];
      requestTimeoutMs?: number;
    };

export async function openBackend(config: StorageConfig): Promise<Backend> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteBackend({ path: config.path, synchronous: config.synchronous });
    case 'etcd':
      return openEtcdBackend({ endpoints: config.endpoints, requestTimeoutMs: config.requestTimeoutMs });
  }
}
