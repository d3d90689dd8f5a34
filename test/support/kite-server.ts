// Starts a real `kite server` on a data directory and stops it gracefully, for acceptance tests
// that talk to it over HTTPS: the URL and port it announced, its kubeconfig and client PKI files.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKite, type KiteProcess } from './kite-process.js';

export interface KiteServer {
  process: KiteProcess;
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
}

export interface AdminTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Starts `kite server --data-dir DIR --port PORT` (0: any free port) and waits for "ready". */
export async function startKiteServer(
  dataDir: string,
  options: {
    port?: number;
    extraArgs?: string[];
    readyTimeoutMs?: number;
    scheduler?: boolean;
    controllers?: boolean;
    kubelet?: boolean;
    /** The ServiceAccount admission plugin (default pods to `default`, require the account, mount its token). */
    serviceAccounts?: boolean;
  } = {},
): Promise<KiteServer> {
  // The API server alone unless a test asks for the scheduler, the controllers or the kubelet:
  // tests of the API see only their own writes. ServiceAccount admission too is off unless asked
  // for: it refuses pods until the serviceaccount controller has made the `default` account.
  const components = [
    ...(options.scheduler ? [] : ['--disable-scheduler']),
    ...(options.controllers ? [] : ['--disable-controller-manager']),
    // the kubelet API on any free port, so that servers of tests running side by side do not collide on 10250
    ...(options.kubelet ? (options.extraArgs?.includes('--kubelet-port') ? [] : ['--kubelet-port', '0']) : ['--disable-agent']),
    ...(options.serviceAccounts ? [] : ['--disable-admission-plugins', 'ServiceAccount']),
  ];
  const proc = startKite(['server', '--data-dir', dataDir, '--port', String(options.port ?? 0), ...components, ...(options.extraArgs ?? [])]);
  const line = await proc.waitFor(/\bready\b.*url=/, options.readyTimeoutMs ?? 60_000);
  const match = /url="?(https:\/\/[^"\s]+?:(\d+))"?(\s|$)/.exec(line);
  if (!match?.[1] || !match[2]) {
    proc.kill('SIGKILL');
    throw new Error(`cannot find the URL in the ready line: ${line}`);
  }
  return { process: proc, url: match[1], port: Number(match[2]), dataDir, kubeconfig: join(dataDir, 'admin.kubeconfig') };
}

/** SIGTERMs the server and asserts a clean exit (code 0) within the timeout. */
export async function stopKiteServer(server: KiteServer, timeoutMs = 20_000): Promise<void> {
  server.process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([server.process.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    server.process.kill('SIGKILL');
    assert.fail(`kite server did not exit within ${timeoutMs} ms of SIGTERM:\n${server.process.stderr()}`);
  }
  assert.equal(result, 0, `kite server exited with ${result}:\n${server.process.stderr()}`);
}

/** The admin client certificate, its key and the cluster CA from DIR/pki. */
export function adminTls(dataDir: string): AdminTls {
  const pki = join(dataDir, 'pki');
  return {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}
