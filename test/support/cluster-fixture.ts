// A `kite server` with simulated nodes for the length of a describe block: before() starts the
// server (with the components asked for), a REST client on its admin kubeconfig and a
// NodeSimulator with the given nodes; after() stops them and removes the data directory.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { RestClient } from '../../src/client/rest/index.js';
import { startKiteServer, stopKiteServer, type KiteServer } from './kite-server.js';
import { NodeSimulator, type NodeSimulatorOptions, type SimulatedNodeOptions } from './node-simulator.js';

export interface ClusterFixtureOptions {
  /** Prefix of the temporary data directory. */
  name: string;
  scheduler?: boolean;
  controllers?: boolean;
  extraArgs?: string[];
  /** Simulated nodes to add, by name. */
  nodes?: Record<string, SimulatedNodeOptions>;
  simulator?: NodeSimulatorOptions;
}

export interface ClusterFixture {
  server: KiteServer;
  rest: RestClient;
  nodes: NodeSimulator;
  dir: string;
}

export function useCluster(options: ClusterFixtureOptions): ClusterFixture {
  const fixture = { dir: mkdtempSync(join(tmpdir(), `kite-${options.name}-`)) } as ClusterFixture;
  before(async () => {
    fixture.server = await startKiteServer(fixture.dir, {
      ...(options.scheduler ? { scheduler: true } : {}),
      ...(options.controllers ? { controllers: true } : {}),
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    });
    fixture.rest = RestClient.fromKubeconfig(fixture.server.kubeconfig);
    fixture.nodes = new NodeSimulator(fixture.rest, options.simulator);
    for (const [name, node] of Object.entries(options.nodes ?? {})) await fixture.nodes.addNode(name, node);
  });
  after(async () => {
    await fixture.nodes?.stop();
    fixture.rest?.close();
    if (fixture.server) await stopKiteServer(fixture.server);
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
