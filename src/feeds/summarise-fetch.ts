import type { FetchProgress } from './feed-fetch-context.js';
import type { FetchFeedsResult } from './fetch-feeds.js';
import type { MergeFeedPapersResult } from './merge-feed-papers.js';

/** The outcome of a fetch + merge: what `paperbot fetch --json` prints and the digest can report. */
export interface FetchSummary {
  /** Distinct papers the feeds delivered (one per arXiv id) = new + updated + unchanged + merge skips. */
  fetched: number;
  new: number;
  updated: number;
  unchanged: number;
  /** Malformed feed entries (with their feed) and papers another corpus file already has. */
  skipped: { feed?: string; reason: string }[];
  feeds: { feed: string; status: 'ok' | 'failed'; fetched: number; skipped: number; notes: string[]; error?: string }[];
  /** True when nothing was written (`--dry-run`). */
  dryRun: boolean;
}

export function summariseFetch(fetched: FetchFeedsResult, merged: MergeFeedPapersResult, dryRun: boolean): FetchSummary {
  return {
    fetched: fetched.papers.length,
    new: merged.added.length,
    updated: merged.updated.length,
    unchanged: merged.unchanged,
    skipped: [
      ...fetched.perFeed.flatMap((report) => report.skipped.map((skip) => ({ feed: report.feed, reason: skip.reason }))),
      ...merged.skipped.map((skip) => ({ reason: `${skip.arxivId}: ${skip.reason}` })),
    ],
    feeds: fetched.perFeed.map((report) => ({
      feed: report.feed,
      status: report.status,
      fetched: report.fetched,
      skipped: report.skipped.length,
      notes: report.notes,
      ...(report.error ? { error: report.error } : {}),
    })),
    dryRun,
  };
}

/** The summary for people: a totals line, one line per feed, then each skip with its reason. */
export function describeFetchSummary(summary: FetchSummary): string[] {
  const lines = [
    `Fetched ${summary.fetched} papers: ${summary.new} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.skipped.length} skipped` +
      (summary.dryRun ? ' (dry run: nothing written)' : ''),
  ];
  for (const feed of summary.feeds) {
    const outcome = feed.status === 'ok' ? `ok, ${feed.fetched} papers` : `FAILED after ${feed.fetched} papers: ${feed.error ?? 'unknown error'} (the next run retries)`;
    lines.push(`  ${feed.feed}: ${outcome}${feed.notes.length ? ` — ${feed.notes.join('; ')}` : ''}`);
  }
  for (const skip of summary.skipped) lines.push(`  skipped ${skip.feed ? `${skip.feed} ` : ''}${skip.reason}`);
  return lines;
}

/** A progress line for a fetch event, or undefined for events not worth a line. */
export function describeFetchProgress(event: FetchProgress): string | undefined {
  switch (event.kind) {
    case 'page':
      return `${event.feed}: ${event.fetched} papers${event.total !== undefined ? ` (query has ${event.total})` : ''}`;
    case 'wait':
      return event.reason === 'retry' ? `${event.feed}: ${event.detail ?? 'failed'}; retrying in ${Math.ceil(event.ms / 1000)} s` : undefined;
    case 'feed-done':
      return event.report.status === 'failed' ? `${event.feed}: failed: ${event.report.error ?? 'unknown error'}` : undefined;
    default:
      return undefined;
  }
}
