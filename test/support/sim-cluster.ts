// A real `kite server` with its scheduler and controllers, a REST client, and simulated nodes: what
// controller tests start in before() and stop in after().

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient } from '../../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './kite-server.js';
import { NodeSimulator, type NodeSimulatorOptions } from './node-simulator.js';

export interface SimCluster {
  server: KiteServer;
  rest: RestClient;
  sim: NodeSimulator;
  stop(): Promise<void>;
}

export async function startSimCluster(name: string, nodes: string[], simOptions: NodeSimulatorOptions = {}): Promise<SimCluster> {
  const dir = mkdtempSync(join(tmpdir(), `kite-${name}-`));
  const server = await startKiteServer(dir, { scheduler: true, controllers: true });
  const rest = RestClient.fromKubeconfig(server.kubeconfig);
  const sim = new NodeSimulator(rest, simOptions);
  for (const n of nodes) await sim.addNode(n);
  return {
    server,
    rest,
    sim,
    async stop() {
      await sim.stop();
      rest.close();
      await stopKiteServer(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
