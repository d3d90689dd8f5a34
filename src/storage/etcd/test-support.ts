// Helpers for this folder's tests: one real etcd and one backend on it for a whole test file (the
// rest is shared with every backend's tests in ../test-support.ts).

import { after, before } from 'node:test';
import { startEtcd, type EtcdProcess } from '../../../test/support/etcd-process.js';
import { openEtcdBackend, type EtcdBackend } from './backend.js';

export { bytes, text, waitFor, recorder } from '../test-support.js';

export interface EtcdFixture {
  etcd: EtcdProcess;
  backend: EtcdBackend;
}

/** Starts etcd and opens a backend before the file's tests (filling in the returned object), and
 *  stops both after them. */
export function etcdFixture(): EtcdFixture {
  const fixture = {} as EtcdFixture;
  before(async () => {
    fixture.etcd = await startEtcd();
    fixture.backend = await openEtcdBackend({ endpoints: [fixture.etcd.endpoint] });
  });
  after(async () => {
    await fixture.backend?.close();
    await fixture.etcd?.stop();
  });
  return fixture;
}
