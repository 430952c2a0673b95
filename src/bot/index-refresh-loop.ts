import type { Paperbot } from '../app/paperbot.js';

/** How often a running bot checks whether the paper index changed (one stat of its manifest). */
export const INDEX_CHECK_INTERVAL_MS = 2_000;

/**
 * Keep the bot's papers caught up with the index while it runs: searches and answers check it
 * themselves, this covers autocomplete and /paper (synchronous lookups). Real time, unref'd.
 */
export function startIndexRefreshLoop(paperbot: Pick<Paperbot, 'refreshIndex'>, intervalMs: number = INDEX_CHECK_INTERVAL_MS): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void paperbot.refreshIndex().finally(() => {
      running = false;
    });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
