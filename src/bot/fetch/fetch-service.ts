import type { Logger } from '../../app/logger.js';
import type { Paperbot } from '../../app/paperbot.js';
import { settlesWithin } from '../../async/settles-within.js';
import type { FeedTimers } from '../../feeds/feed-timers.js';
import type { FetchRunOutcome, FetchRunStore } from '../../state/fetch-run-store.js';
import type { Clock } from '../clock.js';
import { DIGEST_CLAIM_LEASE_MS, holdClaim, newClaimOwner } from '../digest/digest-claim.js';
import { croner, lastScheduledAt, type CronScheduler } from '../digest/digest-schedule.js';
import type { FetchConfig } from './fetch-config.js';

const DAY_MS = 86_400_000;
/** The first fetch reaches back this far. */
export const FIRST_FETCH_WINDOW_MS = 7 * DAY_MS;
/** Each later fetch starts this long before the last clean one started (late listings are caught; repeats are "unchanged"). */
const FETCH_OVERLAP_MS = DAY_MS;
/** A window never reaches back further than this (feeds down for weeks). */
const MAX_FETCH_WINDOW_MS = 31 * DAY_MS;
/** A cron timer firing up to this early still counts for its slot. */
const EARLY_TIMER_TOLERANCE_MS = 2_000;

export type FetchTickOutcome =
  | { fetched: true; runKey: string; outcome: FetchRunOutcome }
  | { fetched: false; reason: 'disabled' | 'not-due' | 'already-done' | 'in-progress' | 'failed' };

export interface FetchService {
  /** Start the schedule (nothing when FETCH_CRON=off or no feeds are configured); logs which. */
  start(): Promise<void>;
  /** Stop the schedule, cancel a fetch in flight and wait for it (at most `timeoutMs`). */
  stop(timeoutMs?: number): Promise<boolean>;
  /** What the cron timer runs: fetch the current slot unless another process did or is doing it. Never throws. */
  tick(): Promise<FetchTickOutcome>;
}

export interface FetchServiceDeps {
  paperbot: Pick<Paperbot, 'fetchFeeds'>;
  runs: FetchRunStore;
  config: FetchConfig;
  clock: Clock;
  logger: Logger;
  scheduler?: CronScheduler;
  /** Feed request timers (politeness waits, timeouts); default real time. */
  timers?: FeedTimers;
  /** After a fetch, before it is marked done (e.g. /watch notices); a failure is logged, the fetch still counts. */
  onFetched?: (outcome: FetchRunOutcome, runKey: string) => Promise<void>;
}

/** Where the next fetch's window starts: a day before the last clean fetch began, within bounds. */
async function windowStart(runs: FetchRunStore, now: number): Promise<number> {
  const last = await runs.lastCleanRun();
  const start = last ? last.startedAt - FETCH_OVERLAP_MS : now - FIRST_FETCH_WINDOW_MS;
  return Math.max(start, now - MAX_FETCH_WINDOW_MS);
}

/** Fetch a slot this process claimed (its lease kept fresh meanwhile): fetch, notify, complete; a failure gives the claim up. */
async function fetchClaimedSlot(deps: FetchServiceDeps, runKey: string, owner: string, signal: AbortSignal): Promise<FetchTickOutcome> {
  const { runs, clock, logger } = deps;
  const claim = holdClaim({ digests: runs, clock, logger }, runKey, owner);
  try {
    const since = await windowStart(runs, clock.now());
    const result = await deps.paperbot.fetchFeeds({ ...deps.config.feeds!, since: new Date(since), signal, ...(deps.timers ? { timers: deps.timers } : {}) });
    const { summary } = result;
    const outcome: FetchRunOutcome = {
      newPaperIds: result.newPaperIds,
      updatedPaperIds: result.updatedPaperIds,
      failedFeeds: summary.feeds.filter((f) => f.status === 'failed').map((f) => ({ feed: f.feed, error: f.error ?? 'unknown error' })),
      feeds: summary.feeds.map((f) => f.feed),
    };
    const counts = { fetched: summary.fetched, new: summary.new, updated: summary.updated, unchanged: summary.unchanged, skipped: summary.skipped.length };
    logger.info({ event: 'fetch-done', runKey, since: new Date(since).toISOString(), ...counts, failedFeeds: outcome.failedFeeds }, 'scheduled fetch finished');
    await deps.onFetched?.(outcome, runKey).catch((error: unknown) => logger.error({ err: error, event: 'fetch-notify-failed', runKey }, 'could not post the notices of a fetch'));
    if (!(await runs.completeRun(runKey, owner, outcome, clock.now()))) logger.warn({ event: 'fetch-claim-lost', runKey }, 'another process took this fetch over');
    return { fetched: true, runKey, outcome };
  } catch (error) {
    await runs.abandonRun(runKey, owner).catch(() => undefined);
    logger.error({ err: error, event: 'fetch-failed', runKey }, 'scheduled fetch failed; the next run retries');
    return { fetched: false, reason: 'failed' };
  } finally {
    claim.release();
  }
}

/** Scheduled feed fetches in the bot: one per cron slot across every process sharing the state (claimed with a lease). */
export function createFetchService(deps: FetchServiceDeps): FetchService {
  const { runs, config, clock, logger } = deps;
  const owner = newClaimOwner();
  const feeds = config.feeds;
  let job: { stop(): void } | undefined;
  let running: Promise<FetchTickOutcome> | undefined;
  let abort: AbortController | undefined;

  const fetchSlot = async (runKey: string): Promise<FetchTickOutcome> => {
    abort = new AbortController();
    try {
      return await fetchClaimedSlot(deps, runKey, owner, abort.signal);
    } finally {
      abort = undefined;
    }
  };

  const check = async (): Promise<FetchTickOutcome> => {
    if (!feeds || config.cron === null) return { fetched: false, reason: 'disabled' };
    try {
      const slot = lastScheduledAt(config.cron, config.timezone, clock.now() + EARLY_TIMER_TOLERANCE_MS);
      if (slot === null) return { fetched: false, reason: 'not-due' };
      const runKey = `fetch:${new Date(slot).toISOString()}`;
      const claimed = await runs.claimRun({ runKey, owner, at: clock.now(), leaseMs: DIGEST_CLAIM_LEASE_MS });
      if (!claimed.claimed) return { fetched: false, reason: claimed.reason === 'posted' ? 'already-done' : 'in-progress' };
      return await fetchSlot(runKey);
    } catch (error) {
      logger.error({ err: error, event: 'fetch-failed' }, 'scheduled fetch failed; the next run retries');
      return { fetched: false, reason: 'failed' };
    }
  };

  const tick = (): Promise<FetchTickOutcome> => {
    // One fetch at a time in a process; a timer firing meanwhile finds the slot claimed or done.
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    async start() {
      if (!feeds || config.cron === null) {
        logger.info({ event: 'fetch-off', reason: feeds ? 'FETCH_CRON=off' : 'no FEEDS or FEEDS_FILE' }, 'scheduled fetches are off');
        return;
      }
      job = (deps.scheduler ?? croner)(config.cron, config.timezone, () => void tick());
      logger.info({ event: 'fetch-scheduled', cron: config.cron, timezone: config.timezone, feeds: feeds.feeds.map((f) => f.name) }, 'scheduled fetches started');
    },
    async stop(timeoutMs = 10_000) {
      job?.stop();
      job = undefined;
      abort?.abort();
      return running ? settlesWithin(running, timeoutMs) : true;
    },
    tick,
  };
}
