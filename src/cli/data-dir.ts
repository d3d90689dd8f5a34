// The server's data directory layout. Everything a server keeps lives under one directory:
//   DIR/db/state.db        the embedded SQLite store (with its -wal and -shm files)
//   DIR/pki/               certificates and keys (API server issue)
//   DIR/admin.kubeconfig   the admin's kubeconfig (API server issue)

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataDir {
  root: string;
  database: string;
  pki: string;
  adminKubeconfig: string;
}

export const defaultDataDir = (): string => join(homedir(), '.kite', 'server');

export function prepareDataDir(dir: string): DataDir {
  const root = resolve(dir);
  const layout: DataDir = {
    root,
    database: join(root, 'db', 'state.db'),
    pki: join(root, 'pki'),
    adminKubeconfig: join(root, 'admin.kubeconfig'),
  };
  mkdirSync(join(root, 'db'), { recursive: true, mode: 0o700 });
  return layout;
}
