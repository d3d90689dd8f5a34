// The `kite` command: parses the command line and hands each subcommand to its module.

import { Command, CommanderError } from 'commander';
import { agentCommand } from './agent-command.js';
import { controllerManagerCommand } from './controller-manager-command.js';
import { schedulerCommand } from './scheduler-command.js';
import { serverCommand } from './server-command.js';
import { tokenCommand } from './token-command.js';

export async function run(argv: string[]): Promise<void> {
  const program = new Command('kite')
    .description('Kite: a Kubernetes-compatible cluster in one command')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(serverCommand());
  program.addCommand(schedulerCommand());
  program.addCommand(controllerManagerCommand());
  program.addCommand(agentCommand());
  program.addCommand(tokenCommand());
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`kite: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
