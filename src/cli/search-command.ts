import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Paperbot } from '../app/paperbot.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import type { CliContext } from './cli-io.js';
import { countOf, formatSearch, searchResponseToJson } from './format-output.js';
import { openCliPaperbot } from './open-cli-paperbot.js';

/** Bounds of `--k`. */
const MIN_RESULTS = 1;
const MAX_RESULTS = 100;
const DEFAULT_RESULTS = 10;

interface SearchFlags {
  k: number;
  json?: boolean;
  file?: string;
  diverse?: boolean;
}

function parseResultCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_RESULTS || n > MAX_RESULTS) {
    throw new InvalidArgumentError(`must be a whole number from ${MIN_RESULTS} to ${MAX_RESULTS}.`);
  }
  return n;
}

/** `paperbot search "<query>" | --file queries.txt [--k n] [--json] [--diverse]`. */
export function addSearchCommand(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description('Find papers (no language model needed).')
    .argument('[query...]', 'what to look for')
    .addOption(new Option('-k, --k <n>', 'number of results').argParser(parseResultCount).default(DEFAULT_RESULTS))
    .option('--json', 'one JSON line per query: {"query","relevant","results":[{"id","title","score","url"}]}')
    .option('--file <queries.txt>', 'answer one query per line of this file')
    .option('--diverse', 'diversify results (MMR), for topic-level queries')
    .action(async (queryWords: string[], flags: SearchFlags) => {
      if (flags.file && queryWords.length > 0) throw new UserFacingError('usage', 'give either a query or --file, not both.');
      if (!flags.file && queryWords.length === 0) throw new UserFacingError('usage', 'give a query to search for, or --file with one query per line.');
      const queries = flags.file ? await readQueryFile(flags.file) : [{ line: 0, query: queryWords.join(' ') }];
      if (flags.file && queries.length === 0) throw new UserFacingError('empty-input', `${flags.file} has no queries (one per line).`);
      const bot = await openCliPaperbot(ctx);
      if (flags.file) await searchLines(ctx, bot, flags.file, queries, flags);
      else await searchOne(ctx, bot, queries[0]!.query, flags);
    });
}

async function searchOne(ctx: CliContext, bot: Paperbot, query: string, flags: SearchFlags): Promise<void> {
  const response = await bot.search(query, { k: flags.k, diverse: flags.diverse ?? false });
  ctx.out(flags.json ? JSON.stringify(searchResponseToJson(response)) : formatSearch(response));
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
async function searchLines(ctx: CliContext, bot: Paperbot, file: string, queries: readonly { line: number; query: string }[], flags: SearchFlags): Promise<void> {
  let failed = 0;
  for (const { line, query } of queries) {
    try {
      await searchOne(ctx, bot, query, flags);
    } catch (error) {
      if (!isUserFacingError(error)) throw error;
      failed += 1;
      ctx.err(`paperbot: line ${line}: ${error.message}`);
    }
  }
  if (failed > 0) throw new UserFacingError('bad-queries', `${countOf(failed, 'query', 'queries')} of ${queries.length} in ${file} could not be answered.`);
}
