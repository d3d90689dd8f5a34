// Every storage backend, opened fresh for a test: embedded SQLite in a temporary directory and a
// real etcd started on a loopback port. Suites that must hold for all backends loop over this.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/storage/backend.js';
import { openBackend } from '../../src/storage/open.js';
import { startEtcd } from './etcd-process.js';

export interface OpenedBackend {
  backend: Backend;
  /** Closes the backend and removes whatever was started for it. */
  cleanup(): Promise<void>;
}

export interface BackendKind {
  name: 'sqlite' | 'etcd';
  open(): Promise<OpenedBackend>;
}

export const storageBackends: BackendKind[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'kite-sqlite-'));
      const backend = await openBackend({ kind: 'sqlite', path: join(dir, 'state.db') });
      return {
        backend,
        async cleanup() {
          await backend.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'etcd',
    async open() {
      const etcd = await startEtcd();
      const backend = await openBackend({ kind: 'etcd', endpoints: [etcd.endpoint] });
      return {
        backend,
        async cleanup() {
          await backend.close();
          await etcd.stop();
        },
      };
    },
  },
];
