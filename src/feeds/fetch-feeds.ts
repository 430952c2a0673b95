import { fetchArxivFeed } from './fetch-arxiv-feed.js';
import { fetchHfDailyFeed } from './fetch-hf-daily-feed.js';
import { FeedError } from './feed-error.js';
import type { FeedCollector, FeedFetchContext, FeedReport, FetchProgress } from './feed-fetch-context.js';
import { keepNewestRevisions, type FeedPaper } from './feed-paper.js';
import type { FeedSettings } from './feed-settings.js';
import type { FeedSpec } from './feed-spec.js';
import { createRequestPacer, systemFeedTimers, type FeedTimers, type RequestPacer } from './feed-timers.js';

/** arXiv asks API clients to wait 3 s between requests. */
export const ARXIV_REQUEST_GAP_MS = 3_000;
/** Hugging Face publishes no figure; one request a second is gentle. */
export const HF_REQUEST_GAP_MS = 1_000;
export const DEFAULT_ARXIV_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAPERS_PER_FEED = 5_000;
export const DEFAULT_HF_MAX_DAYS = 31;

export interface FetchFeedsOptions extends FeedSettings {
  since: Date;
  /** Defaults to real time; tests and benchmarks inject their own. */
  timers?: FeedTimers;
  /** Aborting it ends the fetch: the feeds not finished are reported as failed. */
  signal?: AbortSignal;
  onProgress?: (event: FetchProgress) => void;
  arxivPageSize?: number;
  maxPapersPerFeed?: number;
  hfMaxDays?: number;
}

export interface FetchFeedsResult {
  /** One paper per arXiv id over all feeds, the newest revision of each. */
  papers: FeedPaper[];
  perFeed: FeedReport[];
}

function runFeed(spec: FeedSpec, options: FetchFeedsOptions, ctx: FeedFetchContext, collector: FeedCollector): Promise<void> {
  if (spec.kind === 'arxiv') {
    return fetchArxivFeed(
      spec,
      { apiBase: options.arxivApiBase, pageSize: options.arxivPageSize ?? DEFAULT_ARXIV_PAGE_SIZE, maxPapers: options.maxPapersPerFeed ?? DEFAULT_MAX_PAPERS_PER_FEED },
      ctx,
      collector,
    );
  }
  return fetchHfDailyFeed(spec, { apiBase: options.hfApiBase, maxDays: options.hfMaxDays ?? DEFAULT_HF_MAX_DAYS }, ctx, collector);
}

function describeFailure(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'fetch cancelled';
  if (error instanceof FeedError) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Fetch one feed; its failure becomes a failed report that keeps what it collected. */
async function fetchOneFeed(spec: FeedSpec, options: FetchFeedsOptions, ctx: FeedFetchContext): Promise<{ report: FeedReport; papers: FeedPaper[] }> {
  const collector: FeedCollector = { papers: [], skipped: [], notes: [] };
  const report: FeedReport = { feed: spec.name, status: 'ok', fetched: 0, skipped: collector.skipped, notes: collector.notes };
  try {
    if (options.signal?.aborted) throw new FeedError('cancelled', 'fetch cancelled');
    await runFeed(spec, options, ctx, collector);
  } catch (error) {
    report.status = 'failed';
    report.error = describeFailure(error, options.signal);
  }
  report.fetched = collector.papers.length;
  return { report, papers: collector.papers };
}

/**
 * Fetch every feed, one request at a time (arXiv requests 3 s apart). Never throws for a feed's
 * fault: a feed that is down, slow, rate-limited or malformed is reported as failed (keeping the
 * papers it delivered before failing) and the other feeds still deliver theirs.
 */
export async function fetchFeeds(options: FetchFeedsOptions): Promise<FetchFeedsResult> {
  const timers = options.timers ?? systemFeedTimers;
  let current = '';
  const politeness = (ms: number) => options.onProgress?.({ kind: 'wait', feed: current, ms, reason: 'politeness' });
  const pacers: Record<FeedSpec['kind'], RequestPacer> = {
    arxiv: createRequestPacer(ARXIV_REQUEST_GAP_MS, timers, politeness),
    'hf-daily': createRequestPacer(HF_REQUEST_GAP_MS, timers, politeness),
  };
  const papers: FeedPaper[] = [];
  const perFeed: FeedReport[] = [];
  for (const spec of options.feeds) {
    current = spec.name;
    options.onProgress?.({ kind: 'feed-start', feed: spec.name });
    const ctx: FeedFetchContext = {
      since: options.since,
      http: options.http,
      timers,
      pacer: pacers[spec.kind],
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    const outcome = await fetchOneFeed(spec, options, ctx);
    papers.push(...outcome.papers);
    perFeed.push(outcome.report);
    options.onProgress?.({ kind: 'feed-done', feed: spec.name, report: outcome.report });
  }
  return { papers: keepNewestRevisions(papers), perFeed };
}
