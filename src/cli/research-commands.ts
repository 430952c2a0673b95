import type { Command } from 'commander';
import type { CliContext } from './cli-io.js';
import { openCliPaperbot } from './open-cli-paperbot.js';
import { parseExportFormat, runExportThread } from './run-export.js';

/** `paperbot export`: what the research workflow takes out of the bot's threads. */
export function addResearchCommands(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('The papers cited in one of the bot\'s Discord threads, as BibTeX or Markdown.')
    .requiredOption('--thread <id>', 'the Discord thread id')
    .option('--format <format>', 'bib or md', 'bib')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: { thread: string; format: string; out?: string }) => {
      const format = parseExportFormat(flags.format);
      await runExportThread(ctx.config, () => openCliPaperbot(ctx), { threadId: flags.thread, format, outFile: flags.out, out: ctx.out, err: ctx.err });
    });
}
