import type { FeedPaper, FeedSkip } from './feed-paper.js';
import type { FeedTimers, RequestPacer } from './feed-timers.js';
import type { FeedHttpOptions } from './get-feed-text.js';

/** What one feed's fetch produced: a failing feed keeps what it collected before the failure. */
export interface FeedReport {
  feed: string;
  status: 'ok' | 'failed';
  /** Papers delivered by this feed (before merging with the other feeds). */
  fetched: number;
  /** Entries that could not become papers, each with its reason. */
  skipped: FeedSkip[];
  /** Limits reached and other remarks (e.g. a window longer than the feed serves). */
  notes: string[];
  /** Why the feed failed (status `failed`). */
  error?: string;
}

/** Progress of a fetch, for a progress line on stderr or the bot's log. */
export type FetchProgress =
  | { kind: 'feed-start'; feed: string }
  | { kind: 'request'; feed: string; url: string }
  | { kind: 'wait'; feed: string; ms: number; reason: 'politeness' | 'retry'; detail?: string }
  | { kind: 'page'; feed: string; fetched: number; total?: number }
  | { kind: 'feed-done'; feed: string; report: FeedReport };

/** Shared by the feed clients during one fetch. */
export interface FeedFetchContext {
  /** Papers submitted (arXiv) or featured (Hugging Face) before this are not fetched. */
  since: Date;
  http: FeedHttpOptions;
  timers: FeedTimers;
  pacer: RequestPacer;
  signal?: AbortSignal;
  onProgress?: (event: FetchProgress) => void;
}

/** Where a feed client puts what it has so far, so a failure part-way keeps it. */
export interface FeedCollector {
  papers: FeedPaper[];
  skipped: FeedSkip[];
  notes: string[];
}
