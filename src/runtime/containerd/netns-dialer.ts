// Streaming connections into the network namespace containerd runs in, for a kubelet (or a test)
// that itself stays in the host's: each dial runs busybox nc under `nsenter --net` and wraps its
// stdin/stdout as one Duplex (containerd's CRI streaming server listens on that namespace's
// loopback). Needs util-linux nsenter and a busybox with nc; `netns` is a name under /run/netns
// or a path.

import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';

/** A dialer for streaming URLs (host:port) inside the network namespace (a name or a path). */
export function netnsDialer(netns: string): (url: URL) => Promise<Duplex> {
  const path = netns.includes('/') ? netns : `/run/netns/${netns}`;
  return (url) => {
    const nc = spawn('nsenter', [`--net=${path}`, '/bin/busybox', 'nc', url.hostname, url.port || '80'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    return Promise.resolve(duplexOf(nc));
  };
}

/** A child process's stdin/stdout as one Duplex (the netns dialer's connection). */
function duplexOf(child: ChildProcess): Duplex {
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    duplex.push(null);
  };
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      stdin.write(chunk, callback);
    },
    final(callback) {
      stdin.end();
      callback();
    },
    read() {
      stdout.resume();
    },
    destroy(err, callback) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      callback(err);
    },
  });
  stdout.on('data', (chunk: Buffer) => {
    if (!ended && !duplex.push(chunk)) stdout.pause();
  });
  stdout.on('end', end);
  stdin.on('error', () => undefined);
  child.on('exit', () => stdout.once('close', end));
  return duplex;
}
