import { FeedError } from './feed-error.js';
import type { FeedFetchContext } from './feed-fetch-context.js';
import { getFeedText } from './get-feed-text.js';

export interface FeedDocumentRequest {
  feed: string;
  url: string;
  accept: string;
  /** Names the document in errors, e.g. `page at start=200` or `2024-03-05`. */
  where: string;
}

/**
 * GET one document of a feed (paced, retried, reported as progress) and parse it. A failure of
 * either is a FeedError whose message starts with `where`.
 */
export async function requestFeedDocument<T>(ctx: FeedFetchContext, request: FeedDocumentRequest, parse: (text: string) => T): Promise<T> {
  try {
    const text = await getFeedText({
      url: request.url,
      accept: request.accept,
      http: ctx.http,
      timers: ctx.timers,
      pacer: ctx.pacer,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onAttempt: () => ctx.onProgress?.({ kind: 'request', feed: request.feed, url: request.url }),
      onRetry: (retry) => ctx.onProgress?.({ kind: 'wait', feed: request.feed, ms: retry.waitMs, reason: 'retry', detail: retry.reason }),
    });
    return parse(text);
  } catch (error) {
    if (error instanceof FeedError) throw new FeedError(error.kind, `${request.where}: ${error.message}`, { cause: error });
    throw error;
  }
}
