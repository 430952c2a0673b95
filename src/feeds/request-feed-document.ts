import { FeedError } from './feed-error.js';
import type { FeedFetchContext } from './feed-fetch-context.js';
import { getFeedText } from './get-feed-text.js';

/**
 * GET one document of a feed (paced, retried, reported as progress). A failure is a FeedError whose
 * message starts with `where` (e.g. `page at start=200` or `2024-03-05`).
 */
export async function requestFeedDocument(ctx: FeedFetchContext, request: { feed: string; url: string; accept: string; where: string }): Promise<string> {
  ctx.onProgress?.({ kind: 'request', feed: request.feed, url: request.url });
  try {
    return await getFeedText({
      url: request.url,
      accept: request.accept,
      http: ctx.http,
      timers: ctx.timers,
      pacer: ctx.pacer,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onRetry: (retry) => ctx.onProgress?.({ kind: 'wait', feed: request.feed, ms: retry.waitMs, reason: 'retry', detail: retry.reason }),
    });
  } catch (error) {
    if (error instanceof FeedError) throw new FeedError(error.kind, `${request.where}: ${error.message}`, { cause: error });
    throw error;
  }
}
