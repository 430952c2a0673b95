import path from 'node:path';
import { type Command, Option } from 'commander';
import { PROJECT_ROOT } from '../config.js';
import type { CliContext } from './cli-io.js';
import { countOf } from './format-output.js';
import { openCliPaperbot } from './open-cli-paperbot.js';
import { runEval } from './run-eval.js';
import { UserFacingError } from '../errors.js';
import { runFeedbackExport, runFeedbackStats } from './run-feedback-export.js';
import { runIngest } from './run-ingest.js';
import { runMigrate } from './run-migrate.js';
import { runFetch } from './run-fetch.js';

const INGEST_HELP =
  '\nFiles are copied into the corpus folder under their own name. A file named like one already there\n' +
  '(e.g. a second good.jsonl, or hf-trending-papers.txt) is refused unless you pass --replace,\n' +
  'which replaces that corpus file and so removes the papers only it held. A paper already in the\n' +
  'corpus is kept when a new file repeats it (the repeat is reported and skipped) unless you pass --replace.';

/** `paperbot ingest | papers | eval | feedback`: the corpus, its index and what was collected about it. */
export function addCorpusCommands(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('Add paper files to the corpus and update the index incrementally.')
    .argument('[files...]', 'paper files: .txt (title line, abstract line) or .jsonl ({title, abstract, url?, authors?, published?, tags?})')
    .option('--rebuild', 're-embed everything from scratch')
    .option('--replace', 'let these files win: their papers replace the same papers of other corpus files, and a corpus file of the same name is replaced')
    .addOption(new Option('--format <format>', 'file format, instead of guessing from the extension').choices(['text', 'jsonl']))
    .addHelpText('after', INGEST_HELP)
    .action(async (files: string[], flags: { rebuild?: boolean; replace?: boolean; format?: 'text' | 'jsonl' }) => {
      const options = { rebuild: flags.rebuild ?? false, replace: flags.replace ?? false, format: flags.format };
      await runIngest(ctx.config, files, options, ctx.io);
    });

  program
    .command('fetch')
    .description('Pull the feeds (FEEDS or FEEDS_FILE: arXiv queries, Hugging Face daily papers) into the corpus and index what is new.')
    .option('--since <when>', 'how far back: a duration (36h, 7d, 2w) or a date (2024-03-01)', '7d')
    .option('--dry-run', 'fetch and count, write nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { since: string; dryRun?: boolean; json?: boolean }) => {
      await runFetch(ctx.config, { since: flags.since, dryRun: flags.dryRun ?? false, json: flags.json ?? false }, ctx, ctx.env, ctx.feedTimers);
    });

  program
    .command('papers')
    .description('List the papers in the index.')
    .option('--json', 'one JSON line per paper')
    .action(async (flags: { json?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      const papers = await bot.papers();
      for (const paper of papers) {
        ctx.out(flags.json ? JSON.stringify({ id: paper.id, title: paper.title, url: paper.url, links: paper.links }) : `${paper.id}  ${paper.title}`);
      }
      if (!flags.json) ctx.err(countOf(papers.length, 'paper'));
    });

  program
    .command('eval')
    .description('Measure retrieval: R@1, R@5, R@10, MRR and "all expected in top 10".')
    .option('--file <questions.jsonl>', 'questions: {"question", "expected": [titles]} per line', path.join(PROJECT_ROOT, 'data', 'eval', 'dev-questions.jsonl'))
    .option('--json', 'print the metrics as JSON')
    .option('--verbose', 'list the questions that missed')
    .action(async (flags: { file: string; json?: boolean; verbose?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      await runEval(bot, flags.file, { json: flags.json ?? false, verbose: flags.verbose ?? false, out: ctx.out });
    });

  program
    .command('feedback')
    .description('Feedback votes (👍/👎) collected by the Discord bot.')
    .option('--export', 'write the votes as JSON lines')
    .option('--as-eval', 'with --export: the 👎 answers with the paper that should have answered, as eval questions for `paperbot eval --file`')
    .option('--stats', 'votes per command and week')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: { export?: boolean; asEval?: boolean; stats?: boolean; out?: string }) => {
      if (flags.stats) return runFeedbackStats(ctx.config, { out: ctx.out, err: ctx.err });
      if (!flags.export) throw new UserFacingError('usage', 'feedback needs --export (optionally --as-eval) or --stats.');
      await runFeedbackExport(ctx.config, { outFile: flags.out, asEval: flags.asEval ?? false, out: ctx.out, err: ctx.err });
    });

  program
    .command('migrate')
    .description('Copy the embedded bot state (threads, votes, digests, settings) into PostgreSQL; safe to run again.')
    .requiredOption('--to <url>', 'the PostgreSQL database, e.g. "$DATABASE_URL"')
    .action(async (flags: { to: string }) => {
      await runMigrate(ctx.config, { to: flags.to, err: ctx.err });
    });
}
