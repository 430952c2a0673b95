import type { FeedCollector, FeedFetchContext } from './feed-fetch-context.js';
import type { FeedSpec } from './feed-spec.js';
import { parseHfDailyPapers } from './parse-hf-daily.js';
import { requestFeedDocument } from './request-feed-document.js';

export interface HfDailyFeedOptions {
  /** Origin of the API; `/api/daily_papers` is appended. */
  apiBase: string;
  /** At most this many days (the most recent) are asked for. */
  maxDays: number;
}

const DAY_MS = 86_400_000;
const JSON_TYPE = 'application/json';

/** The UTC days (`YYYY-MM-DD`) from `since` to `nowMs`, newest first. */
export function daysInWindow(since: Date, nowMs: number): string[] {
  const days: string[] = [];
  const first = Math.floor(since.getTime() / DAY_MS);
  for (let day = Math.floor(nowMs / DAY_MS); day >= first; day -= 1) days.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
  return days;
}

/** The API URL of one day of daily papers. */
export function hfDailyPapersUrl(apiBase: string, date: string): string {
  return `${apiBase}/api/daily_papers?${new URLSearchParams({ date }).toString()}`;
}

/**
 * Fetch Hugging Face daily papers, one request per UTC day in the window (newest day first, at most
 * `maxDays`). Papers and skipped items go to `collector` as they arrive; a failing day (FeedError,
 * naming the day) ends the feed and keeps what was collected.
 */
export async function fetchHfDailyFeed(spec: Extract<FeedSpec, { kind: 'hf-daily' }>, options: HfDailyFeedOptions, ctx: FeedFetchContext, collector: FeedCollector): Promise<void> {
  const days = daysInWindow(ctx.since, ctx.timers.now());
  if (days.length > options.maxDays) collector.notes.push(`only the last ${options.maxDays} days were fetched (the window has ${days.length})`);
  for (const date of days.slice(0, options.maxDays)) {
    const request = { feed: spec.name, url: hfDailyPapersUrl(options.apiBase, date), accept: JSON_TYPE, where: date };
    const page = await requestFeedDocument(ctx, request, (text) => parseHfDailyPapers(text, { date, feed: spec.name }));
    collector.papers.push(...page.papers);
    collector.skipped.push(...page.skipped);
    ctx.onProgress?.({ kind: 'page', feed: spec.name, fetched: collector.papers.length });
  }
}
