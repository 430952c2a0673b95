import { BUNDLED_CORPUS_FILE, createEmbedder } from '../app/create-paperbot.js';
import { openPaperTarget } from '../app/paper-store.js';
import { ConfigError, type Config } from '../config.js';
import { UserFacingError } from '../errors.js';
import { loadFeedSettings, type FeedSettings } from '../feeds/feed-settings.js';
import type { FeedTimers } from '../feeds/feed-timers.js';
import { fetchAndIngest } from '../feeds/fetch-and-ingest.js';
import { DEFAULT_SINCE, parseSince } from '../feeds/parse-since.js';
import { describeFetchProgress, describeFetchSummary } from '../feeds/summarise-fetch.js';

export interface FetchFlags {
  since?: string | undefined;
  dryRun: boolean;
  json: boolean;
}

/** FEEDS / FEEDS_FILE and the other feed variables; a bad one is a configuration error naming it. */
async function feedSettingsFrom(env: NodeJS.ProcessEnv): Promise<FeedSettings> {
  try {
    return await loadFeedSettings(env, process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) throw new UserFacingError('feeds-misconfigured', error.message, { cause: error });
    throw error;
  }
}

/**
 * `paperbot fetch [--since 7d] [--dry-run] [--json]`: pull every feed (progress on stderr), merge the
 * papers into corpus/feeds.jsonl and index them as `paperbot ingest` does; then the summary (fetched /
 * new / updated / unchanged / skipped, one line per feed). A feed that failed makes the exit status 1
 * after the summary (the others are ingested; the next run retries it). `timers` (politeness waits,
 * retry waits, request timeouts) default to real time.
 */
export async function runFetch(
  config: Config,
  flags: FetchFlags,
  io: { out: (text: string) => void; err: (text: string) => void },
  env: NodeJS.ProcessEnv,
  timers?: FeedTimers,
): Promise<void> {
  const settings = await feedSettingsFrom(env);
  const since = parseSince(flags.since ?? DEFAULT_SINCE, Date.now());
  const embedder = await createEmbedder(config);
  // Into the same store as `paperbot ingest`: the local index, or the PostgreSQL paper store.
  const target = flags.dryRun ? undefined : await openPaperTarget(config, embedder);
  io.err(`Fetching ${settings.feeds.map((feed) => feed.name).join(', ')} since ${since.toISOString()}${flags.dryRun ? ' (dry run)' : ''}…`);
  const result = await fetchAndIngest({
    ...settings,
    since,
    ...(timers ? { timers } : {}),
    dryRun: flags.dryRun,
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    bundledCorpusFile: BUNDLED_CORPUS_FILE,
    writePapers: target && ((papers) => target.write(papers, { rebuild: false })),
    onProgress: (event) => {
      const line = describeFetchProgress(event);
      if (line) io.err(line);
    },
  }).finally(() => target?.close());
  if (flags.json) io.out(JSON.stringify(result.summary));
  else for (const line of describeFetchSummary(result.summary)) io.out(line);
  if (result.ingest) io.err(`Indexed: ${result.ingest.summary.added} added, ${result.ingest.summary.updated} updated, ${result.ingest.summary.total} papers in the index.`);
  const failed = result.summary.feeds.filter((feed) => feed.status === 'failed');
  if (failed.length > 0) throw new UserFacingError('feeds-failed', `${failed.length} feed(s) failed: ${failed.map((feed) => feed.feed).join(', ')}; the next fetch retries them.`);
}
