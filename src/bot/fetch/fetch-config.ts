import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config.js';
import { parseFeedSettings, type FeedSettings } from '../../feeds/feed-settings.js';
import { cronPatternProblem } from '../digest/digest-schedule.js';

/** The bot's scheduled fetch: daily at 06:00 unless FETCH_CRON says otherwise (`off` disables it). */
export const DEFAULT_FETCH_CRON = '0 6 * * *';

export interface FetchConfig {
  /** Cron pattern (in DIGEST_TIMEZONE); null when FETCH_CRON=off. */
  cron: string | null;
  timezone: string;
  /** The feeds to pull; undefined when neither FEEDS nor FEEDS_FILE is set (the bot then never fetches). */
  feeds: FeedSettings | undefined;
}

/**
 * FETCH_CRON and the feed settings (FEEDS or FEEDS_FILE, read now, relative to the working directory;
 * ARXIV_API_BASE, HF_API_BASE, FEEDS_CONTACT, FEED_TIMEOUT_MS). A bad value throws a ConfigError naming the variable.
 */
export function fetchConfigFrom(env: NodeJS.ProcessEnv, timezone: string): FetchConfig {
  const raw = env.FETCH_CRON?.trim() || DEFAULT_FETCH_CRON;
  const cron = raw.toLowerCase() === 'off' ? null : raw;
  const problem = cron === null ? undefined : cronPatternProblem(cron, timezone);
  if (problem) throw new ConfigError(`Invalid configuration in the environment / .env:\n  FETCH_CRON: ${problem}; e.g. "0 6 * * *" = daily 06:00, or "off" (got ${JSON.stringify(raw)})`);
  const file = env.FEEDS_FILE?.trim();
  if (!env.FEEDS?.trim() && !file) return { cron, timezone, feeds: undefined };
  let fileText: string | undefined;
  if (file) {
    try {
      fileText = readFileSync(path.resolve(file), 'utf8');
    } catch (error) {
      throw new ConfigError(`Invalid configuration in the environment / .env:\n  FEEDS_FILE: cannot read ${path.resolve(file)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return { cron, timezone, feeds: parseFeedSettings(env, fileText) };
}
