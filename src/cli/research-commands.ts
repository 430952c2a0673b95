import type { Command } from 'commander';
import type { CliContext } from './cli-io.js';
import { openCliPaperbot } from './open-cli-paperbot.js';
import { parseExportFormat, runExportThread } from './run-export.js';
import { DEFAULT_GAPS_SINCE, runGaps } from './run-gaps.js';

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

  program
    .command('gaps')
    .description('Coverage gaps: the most-asked topics the corpus could not answer (refused or uncited questions), with examples.')
    .option('--since <when>', 'a duration (36h, 30d, 2w) or a date (2024-03-01)', DEFAULT_GAPS_SINCE)
    .option('--json', 'print {"since","total","topics":[{"topic","count","askers","examples","lastAskedAt"}]}')
    .option('--purge', 'delete the whole coverage-gap log')
    .action(async (flags: { since: string; json?: boolean; purge?: boolean }) => {
      await runGaps(ctx.config, { since: flags.since, json: flags.json ?? false, purge: flags.purge ?? false, now: Date.now(), out: ctx.out, err: ctx.err });
    });
}
