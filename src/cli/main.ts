// The `kite` command: parses the command line and hands each subcommand to its module. Only the
// module of the subcommand being run is loaded (a `kite agent` does not load the API server, the
// store or the scheduler); help and unknown commands load them all.

import { Command, CommanderError } from 'commander';
import { reportUnsettledShutdown } from '../util/shutdown-steps.js';

/** Each subcommand by name, and how to load its definition. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['server', async () => (await import('./server-command.js')).serverCommand()],
  ['scheduler', async () => (await import('./scheduler-command.js')).schedulerCommand()],
  ['controller-manager', async () => (await import('./controller-manager-command.js')).controllerManagerCommand()],
  ['agent', async () => (await import('./agent-command.js')).agentCommand()],
  ['token', async () => (await import('./token-command.js')).tokenCommand()],
];

export async function run(argv: string[]): Promise<void> {
  reportUnsettledShutdown();
  const program = new Command('kite')
    .description('Kite: a Kubernetes-compatible cluster in one command')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const chosen = COMMANDS.filter(([name]) => name === argv[0]);
  try {
    for (const [, load] of chosen.length > 0 ? chosen : COMMANDS) program.addCommand(await load());
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`kite: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
