import type { Paperbot } from '../app/paperbot.js';

/** How often a running bot checks whether the paper index changed (one stat of its manifest). */
export const INDEX_CHECK_INTERVAL_MS = 2_000;
/** Any text: an autocomplete lookup of it builds the new papers' name index. */
export const WARM_UP_NAME = 'masked autoencoders for video';

/**
 * Keep the bot's papers caught up with the index while it runs: searches and answers check it
 * themselves, this covers autocomplete and /paper (synchronous lookups), whose name index it builds
 * right after new papers arrive. Real time, unref'd.
 */
export function startIndexRefreshLoop(paperbot: Pick<Paperbot, 'refreshIndex' | 'suggestPapers'>, intervalMs: number = INDEX_CHECK_INTERVAL_MS): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void paperbot
      .refreshIndex()
      // New papers: build their name index now, not during the next autocomplete (Discord waits 3 s for its answer).
      .then(async (changed) => changed && (await paperbot.suggestPapers(WARM_UP_NAME, 1)))
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
