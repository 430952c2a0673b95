import { randomBytes } from 'node:crypto';
import type { Logger } from '../../app/logger.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { DigestStore } from '../../state/digest-store.js';
import type { FetchRunStore } from '../../state/fetch-run-store.js';
import type { SettingsStore } from '../../state/settings-store.js';
import type { Clock } from '../clock.js';
import type { BotMessagePayload } from '../format-answer.js';
import { composeDigest } from './compose-digest.js';
import { newClaimOwner } from './digest-claim.js';
import { croner, dueScheduledRun, scheduledRunKey, type CronScheduler } from './digest-schedule.js';
import { createDigestSetup, type DigestConfig, type DigestSettings } from './digest-setup.js';
import { postDigestRun, type DigestOutcome, type DigestRunDeps, type PostToChannel } from './post-digest-run.js';
import { createScheduledDigestRunner } from './scheduled-digest-runner.js';
import { createSerialQueue } from './serial-queue.js';

export type { DigestConfig, DigestSettings } from './digest-setup.js';
export type { DigestOutcome, PostToChannel } from './post-digest-run.js';
export { DIGEST_RETRY_DELAYS_MS } from './scheduled-digest-runner.js';

/** How long stop() waits for a digest being written or posted, by default. */
const STOP_TIMEOUT_MS = 10_000;

export interface DigestService {
  /** Post a missed run once (unless another live process is posting it), start the schedule. */
  start(): Promise<void>;
  /**
   * Stop the schedule and wait (at most `timeoutMs`, default 10 s, on the service's clock) for a digest
   * being written or posted to finish. Resolves true when nothing was left running.
   */
  stop(timeoutMs?: number): Promise<boolean>;
  /** Check the schedule now (what the cron timer calls); posts when a run is due and not yet posted. */
  tick(): Promise<DigestOutcome>;
  /** Post a digest now, outside the schedule (admins' /digest now). */
  runNow(): Promise<DigestOutcome>;
  /** The next digest's messages, without posting or advancing the topic rotation. */
  preview(): Promise<{ topic: string; payloads: BotMessagePayload[] }>;
  settings(): Promise<DigestSettings>;
  setChannel(channelId: string): Promise<void>;
  /** Empty → back to configured/discovered topics. */
  setTopics(topics: string[]): Promise<void>;
  /** A new schedule (what is not given stays); throws UserFacingError on a bad pattern or time zone. */
  setSchedule(change: { cron?: string; timezone?: string }): Promise<void>;
}

export interface DigestServiceDeps {
  paperbot: Pick<Paperbot, 'summarize' | 'papers' | 'search'>;
  digests: DigestStore;
  /** Scheduled fetches: the first digest's new papers and the feeds that failed. */
  fetchRuns?: FetchRunStore;
  settings: SettingsStore;
  config: DigestConfig;
  clock: Clock;
  logger: Logger;
  post: PostToChannel;
  /** Digest timer (default: croner). */
  scheduler?: CronScheduler;
}

/** A manual run's key: unique, and ordered by time. */
function manualRunKey(now: number): string {
  return `manual:${new Date(now).toISOString()}:${randomBytes(3).toString('hex')}`;
}

/** The start-up line: where and when digests go, and what became of a run missed while down. */
function logScheduleStarted(logger: Logger, settings: DigestSettings, missed: DigestOutcome | undefined): void {
  const { channelId, cron, timezone, nextRunAt } = settings;
  const missedRun = missed ? (missed.posted ? 'posted' : (missed.reason ?? 'none')) : 'failed';
  const next = nextRunAt === null ? null : new Date(nextRunAt).toISOString();
  logger.info({ event: 'digest-scheduled', channelId, cron, timezone, nextRunAt: next, missedRun }, 'digest schedule started');
}

/** Weekly digests: the schedule, missed runs, retries and /digest's operations, over the state stores. */
export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { paperbot, digests, clock, logger } = deps;
  const scheduler = deps.scheduler ?? croner;
  const setup = createDigestSetup({ settings: deps.settings, config: deps.config, clock, papers: () => paperbot.papers() });
  const queue = createSerialQueue(clock);
  const compose = async (topic: string) => {
    const last = await digests.lastPostedRun();
    const previous = last?.paperIds && last.postedAt !== null ? { paperIds: last.paperIds, postedAt: last.postedAt } : undefined;
    const { topics } = await setup.current();
    return composeDigest({ paperbot, logger, fetchRuns: deps.fetchRuns }, topic, { topics, previous, now: clock.now() });
  };
  const run: DigestRunDeps = { digests, setup, compose, post: deps.post, clock, logger, owner: newClaimOwner() };
  let job: { stop(): void } | undefined;

  const tick = () =>
    queue.run(async (): Promise<DigestOutcome> => {
      const { cron, timezone } = await setup.schedule();
      const slot = dueScheduledRun({ pattern: cron, timezone, now: clock.now(), activeSince: await setup.activeSince() });
      if (slot === null) return { posted: false, reason: 'not-due' };
      return postDigestRun(run, { runKey: scheduledRunKey(slot), kind: 'scheduled', scheduledFor: slot });
    });
  const runner = createScheduledDigestRunner({ check: tick, clock, logger });

  const startSchedule = async () => {
    job?.stop();
    const { cron, timezone } = await setup.schedule();
    job = scheduler(cron, timezone, () => void runner.run());
  };
  const stopSchedule = () => {
    job?.stop();
    job = undefined;
  };

  return {
    async start() {
      runner.resume();
      await setup.ensureActiveSince();
      const outcome = await runner.run();
      if (outcome?.posted) logger.info({ event: 'digest-missed-run-posted', topic: outcome.topic }, 'posted a digest missed while the bot was down');
      await startSchedule();
      logScheduleStarted(logger, await setup.current(), outcome);
    },
    async stop(timeoutMs = STOP_TIMEOUT_MS) {
      runner.stop();
      stopSchedule();
      if (!queue.busy) return true;
      logger.info({ event: 'digest-stop-waiting', timeoutMs }, 'waiting for the digest being posted');
      // Whatever is queued while waiting (a /digest now still finishing) is waited for too.
      const finished = await queue.waitIdle(timeoutMs);
      if (!finished) logger.warn({ event: 'digest-stop-timeout', timeoutMs }, 'a digest still running at shutdown was abandoned');
      return finished;
    },
    tick,
    // A manual digest that failed part-way is finished (its missing parts) before a new one is composed.
    runNow: () =>
      queue.run(async () => {
        const runKey = (await digests.unfinishedDraft('manual'))?.runKey ?? manualRunKey(clock.now());
        return postDigestRun(run, { runKey, kind: 'manual', scheduledFor: null });
      }),
    async preview() {
      const { topic } = await setup.nextTopic();
      const { payloads } = await compose(topic);
      return { topic, payloads };
    },
    settings: () => setup.current(),
    setChannel: (channelId) => setup.setChannel(channelId),
    setTopics: (topics) => setup.setTopics(topics),
    async setSchedule(change) {
      const current = await setup.schedule();
      await setup.setSchedule(change.cron ?? current.cron, change.timezone ?? current.timezone);
      if (job) await startSchedule();
    },
  };
}
