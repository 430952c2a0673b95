import { Command } from 'commander';
import { addAnswerCommands } from './answer-commands.js';
import type { CliContext } from './cli-io.js';
import { addConsensusCommand } from './consensus-command.js';
import { addCorpusCommands } from './corpus-commands.js';
import { addSearchCommand } from './search-command.js';

/** The `paperbot` command line: every command writes only to `ctx.io` and throws instead of exiting. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('paperbot')
    .description('Search and ask questions about a corpus of machine-learning paper abstracts, with cited answers.')
    .showHelpAfterError('(run `paperbot --help` for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) })
    .exitOverride();
  addSearchCommand(program, ctx);
  addAnswerCommands(program, ctx);
  addConsensusCommand(program, ctx);
  addCorpusCommands(program, ctx);
  return program;
}
