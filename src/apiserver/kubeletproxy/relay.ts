// Sends a kubelet response's body on to the client with back-pressure, until the kubelet ends it,
// the client goes away, or the server shuts down (the relay is registered as long-running).

import type { IncomingMessage } from 'node:http';
import type { ApiResponse } from '../endpoints/http.js';
import type { LongRunningRegistry } from '../serving/long-running.js';

export async function relayBody(response: IncomingMessage, res: ApiResponse, longRunning: LongRunningRegistry): Promise<void> {
  const unregister = longRunning.register(() => response.destroy());
  res.once('close', () => response.destroy());
  await new Promise<void>((resolve) => {
    response.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) {
        response.pause();
        res.once('drain', () => response.resume());
      }
    });
    response.once('end', () => resolve());
    response.once('error', () => resolve());
    response.once('close', () => resolve());
  });
  unregister();
  if (!res.writableEnded) res.end();
}
