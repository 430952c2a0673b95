import { FeedError } from './feed-error.js';
import type { FeedCollector, FeedFetchContext } from './feed-fetch-context.js';
import type { FeedSpec } from './feed-spec.js';
import { parseArxivAtom, type ArxivPage } from './parse-arxiv-atom.js';
import { requestFeedDocument } from './request-feed-document.js';

export interface ArxivFeedOptions {
  /** Origin of the API; `/api/query` is appended. */
  apiBase: string;
  /** `max_results` per request. */
  pageSize: number;
  /** Stop after this many papers from the feed. */
  maxPapers: number;
}

const ATOM = 'application/atom+xml';

/** The API URL of one page of a query, newest submissions first. */
export function arxivQueryUrl(apiBase: string, query: string, start: number, pageSize: number): string {
  const params = new URLSearchParams({
    search_query: query,
    sortBy: 'submittedDate',
    sortOrder: 'descending',
    start: String(start),
    max_results: String(pageSize),
  });
  return `${apiBase}/api/query?${params.toString()}`;
}

/** Why a page that is shorter than asked for is not simply the last one, or undefined. */
function shortPageProblem(page: ArxivPage, start: number, pageSize: number): string | undefined {
  if (page.entryCount >= pageSize || page.totalResults === undefined) return undefined;
  const expected = Math.min(pageSize, page.totalResults - start);
  if (page.entryCount >= expected) return undefined;
  return page.entryCount === 0
    ? `empty page at start=${start} although arXiv reported ${page.totalResults} results`
    : `partial page at start=${start}: ${page.entryCount} of ${expected} entries`;
}

/** A short page, or one that reaches arXiv's own total, ends the query. */
function isLastPage(page: ArxivPage, start: number, pageSize: number): boolean {
  return page.entryCount < pageSize || (page.totalResults !== undefined && start + page.entryCount >= page.totalResults);
}

/** Fetch one page; a page shorter than arXiv's own total promises is asked for once more. */
async function fetchPage(spec: Extract<FeedSpec, { kind: 'arxiv' }>, options: ArxivFeedOptions, ctx: FeedFetchContext, start: number) {
  const url = arxivQueryUrl(options.apiBase, spec.query, start, options.pageSize);
  const where = `page at start=${start}`;
  for (let attempt = 1; ; attempt += 1) {
    const page = await requestFeedDocument(ctx, { feed: spec.name, url, accept: ATOM, where }, (xml) => parseArxivAtom(xml, { start, feed: spec.name }));
    const problem = shortPageProblem(page, start, options.pageSize);
    if (!problem || attempt === 2) return { page, problem };
  }
}

/**
 * Page through an arXiv query (newest submissions first) until an entry submitted before
 * `ctx.since`, the last page, or `maxPapers`. Papers and skipped entries go to `collector`
 * as they arrive; a failure (FeedError) keeps what was collected.
 */
export async function fetchArxivFeed(spec: Extract<FeedSpec, { kind: 'arxiv' }>, options: ArxivFeedOptions, ctx: FeedFetchContext, collector: FeedCollector): Promise<void> {
  const since = ctx.since.getTime();
  for (let start = 0; ; ) {
    const { page, problem } = await fetchPage(spec, options, ctx, start);
    collector.skipped.push(...page.skipped);
    const recent = page.papers.filter((paper) => Date.parse(paper.published ?? '') >= since);
    collector.papers.push(...recent.slice(0, options.maxPapers - collector.papers.length));
    ctx.onProgress?.({ kind: 'page', feed: spec.name, fetched: collector.papers.length, ...(page.totalResults !== undefined ? { total: page.totalResults } : {}) });
    const reachedSince = recent.length < page.papers.length;
    if (reachedSince || isLastPage(page, start, options.pageSize)) {
      if (problem && !reachedSince) throw new FeedError('format', `${problem} (asked twice); the papers before it are kept and the next run retries`);
      return;
    }
    if (collector.papers.length >= options.maxPapers) {
      collector.notes.push(`stopped at ${options.maxPapers} papers, the limit per feed`);
      return;
    }
    start += page.entryCount;
  }
}
