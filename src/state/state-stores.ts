import type { CooldownStore } from './cooldown-store.js';
import type { DigestStore } from './digest-store.js';
import type { FeedbackStore } from './feedback-store.js';
import type { FetchRunStore } from './fetch-run-store.js';
import type { GapStore } from './gap-store.js';
import type { WatchStore } from './watch-store.js';
import type { SettingsStore } from './settings-store.js';
import type { ThreadStore } from './thread-store.js';

/**
 * The bot's persistent state, behind one set of async interfaces: commands and services use these
 * and never know which database is behind them (embedded SQLite, or PostgreSQL with DATABASE_URL).
 */
export interface StateStores {
  threads: ThreadStore;
  digests: DigestStore;
  feedback: FeedbackStore;
  settings: SettingsStore;
  cooldowns: CooldownStore;
  /** Scheduled feed fetches (claims per slot, outcomes). */
  fetchRuns: FetchRunStore;
  /** Refused and low-evidence questions (coverage gaps). */
  gaps: GapStore;
  /** /watch subscriptions and their notices. */
  watches: WatchStore;
  close(): Promise<void>;
}
