import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { Paperbot } from '../app/paperbot.js';
import { createLogger } from '../app/logger.js';
import { loadEnvironment } from '../app/load-environment.js';
import { ConfigError, PROJECT_ROOT, type Config } from '../config.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import { describeCliError, exitCodeFor } from './describe-cli-error.js';
import { answerToJson, countOf, formatSearch, searchResponseToJson } from './format-output.js';
import { printAnswer } from './print-answer.js';
import { openCliPaperbot } from './open-cli-paperbot.js';
import { runChat } from './run-chat.js';
import { runEval } from './run-eval.js';
import { runFeedbackExport } from './run-feedback-export.js';
import { runIngest } from './run-ingest.js';

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100.');
  return n;
}

/** The non-blank lines of a query file, with their 1-based line numbers. */
async function readQueryFile(file: string): Promise<{ line: number; query: string }[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserFacingError('unreadable-file', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, query: raw.trim() }))
    .filter((q) => q.query !== '');
}

/**
 * `search --file`: answer every valid line; a line the core rejects (too long, nothing visible…)
 * gets `paperbot: line N: …` on stderr and the batch goes on. Fails (exit 1) at the end if any did.
 */
async function searchLines(
  bot: Paperbot,
  file: string,
  queries: readonly { line: number; query: string }[],
  opts: { k: number; json: boolean; diverse: boolean },
): Promise<void> {
  let failed = 0;
  for (const { line, query } of queries) {
    let response;
    try {
      response = await bot.search(query, { k: opts.k, diverse: opts.diverse });
    } catch (error) {
      if (!isUserFacingError(error)) throw error;
      failed += 1;
      process.stderr.write(`paperbot: line ${line}: ${error.message}\n`);
      continue;
    }
    out(opts.json ? JSON.stringify(searchResponseToJson(response)) : formatSearch(response));
  }
  if (failed > 0) throw new UserFacingError('bad-queries', `${countOf(failed, 'query', 'queries')} of ${queries.length} in ${file} could not be answered.`);
}

/** Print an answer: JSON, or text streamed as it arrives when a model is configured. */
async function showAnswer(config: Config, json: boolean, produce: (onToken: AnswerOptions['onToken']) => Promise<AnswerResult>): Promise<void> {
  if (json) out(JSON.stringify(answerToJson(await produce(undefined))));
  else await printAnswer(process.stdout, produce, { stream: config.model.enabled });
}

export function buildProgram(config: Config): Command {
  const program = new Command('paperbot')
    .description('Search and ask questions about a corpus of machine-learning paper abstracts, with cited answers.')
    .showHelpAfterError('(run `paperbot --help` for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  program
    .command('search')
    .description('Find papers (no language model needed).')
    .argument('[query...]', 'what to look for')
    .addOption(new Option('-k, --k <n>', 'number of results').argParser(parsePositiveInt).default(10))
    .option('--json', 'one JSON line per query: {"query","relevant","results":[{"id","title","score","url"}]}')
    .option('--file <queries.txt>', 'answer one query per line of this file')
    .option('--diverse', 'diversify results (MMR), for topic-level queries')
    .action(async (queryWords: string[], opts: { k: number; json?: boolean; file?: string; diverse?: boolean }) => {
      if (opts.file && queryWords.length > 0) throw new UserFacingError('usage', 'give either a query or --file, not both.');
      if (!opts.file && queryWords.length === 0) throw new UserFacingError('usage', 'give a query to search for, or --file with one query per line.');
      if (opts.file) {
        const queries = await readQueryFile(opts.file);
        if (queries.length === 0) throw new UserFacingError('empty-input', `${opts.file} has no queries (one per line).`);
        const bot = await openCliPaperbot(config);
        await searchLines(bot, opts.file, queries, { k: opts.k, json: opts.json ?? false, diverse: opts.diverse ?? false });
        return;
      }
      const bot = await openCliPaperbot(config);
      const response = await bot.search(queryWords.join(' '), { k: opts.k, diverse: opts.diverse ?? false });
      out(opts.json ? JSON.stringify(searchResponseToJson(response)) : formatSearch(response));
    });

  program
    .command('ask')
    .description('Ask a question; the answer cites its sources [1], [2].')
    .argument('<question...>', 'your question')
    .option('--json', 'print {"answer","sources":[{"n","id","title","url"}],"mode","refused","usage"}')
    .action(async (questionWords: string[], opts: { json?: boolean }) => {
      const bot = await openCliPaperbot(config);
      await showAnswer(config, opts.json ?? false, (onToken) => bot.ask(questionWords.join(' '), { onToken }));
    });

  program
    .command('compare')
    .description('Compare two papers (id, title, acronym or nickname).')
    .argument('<paperA>', 'first paper')
    .argument('<paperB>', 'second paper')
    .option('--json', 'print the answer as JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      const bot = await openCliPaperbot(config);
      await showAnswer(config, opts.json ?? false, (onToken) => bot.compare(a, b, { onToken }));
    });

  program
    .command('summarize')
    .description('Summarize what the corpus says on a topic, grouped into themes.')
    .argument('<topic...>', 'the topic')
    .option('--json', 'print the answer as JSON')
    .action(async (topicWords: string[], opts: { json?: boolean }) => {
      const bot = await openCliPaperbot(config);
      await showAnswer(config, opts.json ?? false, (onToken) => bot.summarize(topicWords.join(' '), { onToken }));
    });

  program
    .command('chat')
    .description('An interactive session with follow-up questions (/reset, /sources, Ctrl-D to leave).')
    .action(async () => {
      const bot = await openCliPaperbot(config);
      await runChat(bot, { input: process.stdin, output: process.stdout });
    });

  program
    .command('ingest')
    .description('Add paper files to the corpus and update the index incrementally.')
    .argument('[files...]', 'paper files: .txt (title line, abstract line) or .jsonl ({title, abstract, url?, authors?, published?, tags?})')
    .option('--rebuild', 're-embed everything from scratch')
    .option('--replace', 'let these files win: their papers replace the same papers of other corpus files, and a corpus file of the same name is replaced')
    .addOption(new Option('--format <format>', 'file format, instead of guessing from the extension').choices(['text', 'jsonl']))
    .addHelpText(
      'after',
      '\nFiles are copied into the corpus folder under their own name. A file named like one already there\n' +
        '(e.g. a second good.jsonl, or hf-trending-papers.txt) is refused unless you pass --replace,\n' +
        'which replaces that corpus file and so removes the papers only it held. A paper already in the\n' +
        'corpus is kept when a new file repeats it (the repeat is reported and skipped) unless you pass --replace.',
    )
    .action(async (files: string[], opts: { rebuild?: boolean; replace?: boolean; format?: 'text' | 'jsonl' }) => {
      await runIngest(config, files, { rebuild: opts.rebuild ?? false, replace: opts.replace ?? false, format: opts.format });
    });

  program
    .command('papers')
    .description('List the papers in the index.')
    .option('--json', 'one JSON line per paper')
    .action(async (opts: { json?: boolean }) => {
      const bot = await openCliPaperbot(config);
      for (const paper of bot.papers()) {
        out(opts.json ? JSON.stringify({ id: paper.id, title: paper.title, url: paper.url, links: paper.links }) : `${paper.id}  ${paper.title}`);
      }
      if (!opts.json) process.stderr.write(`${countOf(bot.papers().length, 'paper')}\n`);
    });

  program
    .command('eval')
    .description('Measure retrieval: R@1, R@5, R@10, MRR and "all expected in top 10".')
    .option('--file <questions.jsonl>', 'questions: {"question", "expected": [titles]} per line', path.join(PROJECT_ROOT, 'data', 'eval', 'dev-questions.jsonl'))
    .option('--json', 'print the metrics as JSON')
    .option('--verbose', 'list the questions that missed')
    .action(async (opts: { file: string; json?: boolean; verbose?: boolean }) => {
      const bot = await openCliPaperbot(config);
      await runEval(bot, opts.file, { json: opts.json ?? false, verbose: opts.verbose ?? false, out });
    });

  program
    .command('feedback')
    .description('Feedback votes (👍/👎) collected by the Discord bot.')
    .requiredOption('--export', 'write the votes as JSON lines')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { out?: string }) => {
      await runFeedbackExport(config, { outFile: opts.out, out });
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`paperbot: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const program = buildProgram(config);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its one-line message already (unknown option, missing argument…).
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = describeCliError(error);
    if (message !== undefined) {
      process.stderr.write(`paperbot: ${message}\n`);
      return exitCodeFor(error);
    }
    // An internal fault: one line for the user; the stack only when asked for (LOG_LEVEL=debug).
    if (config.logLevel === 'debug' || config.logLevel === 'trace') {
      createLogger({ level: config.logLevel, destination: process.stderr }).error({ err: error }, 'internal error');
    }
    process.stderr.write(`paperbot: internal error: ${error instanceof Error ? error.message : String(error)} (set LOG_LEVEL=debug for details)\n`);
    return 1;
  }
}

/**
 * `paperbot … | head`: when the reader of stdout goes away, stop quietly with status 0 (nothing
 * more can be shown). A closed stderr (progress, warnings) is ignored, so work in progress — a
 * rebuild — still finishes; later writes to it are dropped.
 */
export function handleClosedOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw error;
  });
  process.stderr.on('error', () => {
    // Nowhere left to report it; keep going.
  });
}

handleClosedOutput();
process.exitCode = await main(process.argv);
