import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { APIEmbed } from 'discord.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { Logger } from '../../app/logger.js';
import type { Config } from '../../config.js';
import { UserFacingError } from '../../errors.js';
import type { Clock } from '../clock.js';
import { DISCORD_LIMITS as L } from '../discord-limits.js';
import { COLORS, formatAnswer, linesToFields, markdownLink, packEmbeds, type BotMessagePayload } from '../format-answer.js';
import { truncate } from '../split-text.js';
import { DigestStore } from '../state/digest-store.js';
import type { StateDatabase } from '../state/open-state-database.js';
import { SettingsStore } from '../state/settings-store.js';
import { discoverTopics } from './discover-topics.js';
import { croner, dueScheduledRun, nextScheduledAt, scheduledRunKey, validateSchedule, type CronScheduler } from './digest-schedule.js';

/**
 * Posts payloads to a channel, in order; returns the first message's id. The digest calls it with one
 * payload at a time, recording each message before sending the next, so a failed run resumes where it stopped.
 */
export type PostToChannel = (channelId: string, payloads: BotMessagePayload[]) => Promise<string | null>;

export interface DigestSettings {
  channelId: string | undefined;
  /** Configured topics, or the discovered ones when none are configured. */
  topics: string[];
  topicsSource: 'settings' | 'environment' | 'discovered';
  cron: string;
  timezone: string;
  /** Next scheduled time (ms), for /digest status lines. */
  nextRunAt: number | null;
}

export interface DigestOutcome {
  posted: boolean;
  reason?: 'already-posted' | 'in-progress' | 'no-channel' | 'not-due';
  /** 'in-progress': when the other owner's claim expires (then the run is checked again). */
  retryAt?: number;
  topic?: string;
  channelId?: string;
  newPapers?: number;
}

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
  settings(): DigestSettings;
  setChannel(channelId: string): void;
  /** Empty → back to configured/discovered topics. */
  setTopics(topics: string[]): void;
  setSchedule(cron: string, timezone: string): void;
}

const KEYS = {
  channel: 'digest.channelId',
  topics: 'digest.topics',
  cron: 'digest.cron',
  timezone: 'digest.timezone',
  activeSince: 'digest.activeSince',
  topicIndex: 'digest.topicIndex',
} as const;

const MAX_NEW_LISTED = 15;

/** Delays before retrying a scheduled digest that failed (a transient Discord or model error): at most 3 tries. */
export const DIGEST_RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 15 * 60_000, 45 * 60_000];
/** A claim expires this long after its owner last renewed it (a dead owner's run is then taken over). */
export const DIGEST_CLAIM_LEASE_MS = 2 * 60_000;
/** How often the owner renews its claim while composing and posting. */
export const DIGEST_CLAIM_RENEW_MS = 30_000;
/** The shortest wait before checking again a slot another process is posting. */
const MIN_RECHECK_MS = 1_000;

/** The claim on a run was taken over while this process was posting it (it stalled past its lease). */
class ClaimLostError extends Error {
  constructor(runKey: string) {
    super(`The claim on digest run ${runKey} was taken over by another process; not posting the rest.`);
  }
}

export function createDigestService(deps: {
  paperbot: Paperbot;
  db: StateDatabase;
  config: Config['digest'];
  clock: Clock;
  logger: Logger;
  post: PostToChannel;
  scheduler?: CronScheduler;
}): DigestService {
  const { paperbot, clock, logger } = deps;
  const settingsStore = new SettingsStore(deps.db);
  const runs = new DigestStore(deps.db);
  const scheduler = deps.scheduler ?? croner;
  // Names this service in its claims; unique per process and instance.
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let job: { stop(): void } | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let running = 0;
  let stopped = false;
  let retryTimer: ReturnType<Clock['setTimeout']> | undefined;

  const cancelRetry = () => {
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  /** Runs one digest operation at a time (a tick and /digest now never interleave). */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    running++;
    const next = chain.then(fn, fn).finally(() => running--);
    chain = next.catch(() => undefined);
    return next;
  };

  const currentTopics = (): Pick<DigestSettings, 'topics' | 'topicsSource'> => {
    const stored = settingsStore.get(KEYS.topics);
    const fromSettings = stored ? (JSON.parse(stored) as string[]) : [];
    if (fromSettings.length > 0) return { topics: fromSettings, topicsSource: 'settings' };
    if (deps.config.topics.length > 0) return { topics: deps.config.topics, topicsSource: 'environment' };
    return { topics: discoverTopics(paperbot.papers()), topicsSource: 'discovered' };
  };

  const settings = (): DigestSettings => {
    const cron = settingsStore.get(KEYS.cron) ?? deps.config.cron;
    const timezone = settingsStore.get(KEYS.timezone) ?? deps.config.timezone;
    let nextRunAt: number | null = null;
    try {
      nextRunAt = nextScheduledAt(cron, timezone, clock.now());
    } catch {
      nextRunAt = null;
    }
    return { channelId: settingsStore.get(KEYS.channel) ?? deps.config.channelId, ...currentTopics(), cron, timezone, nextRunAt };
  };

  const nextTopic = (): { topic: string; index: number } => {
    const { topics } = currentTopics();
    if (topics.length === 0) throw new UserFacingError('no-topics', 'No digest topics: set some with /digest topics.');
    const index = Number(settingsStore.get(KEYS.topicIndex) ?? '0');
    const safe = Number.isFinite(index) && index >= 0 ? index % topics.length : 0;
    return { topic: topics[safe] as string, index: safe };
  };

  const compose = async (topic: string): Promise<{ payloads: BotMessagePayload[]; paperIds: string[]; newCount: number }> => {
    const result = await paperbot.summarize(topic);
    logger.info({ event: 'digest-summary', topic, mode: result.mode, refused: result.refused, usage: result.usage }, 'digest summary written');
    const payloads = formatAnswer(result, { title: truncate(`Weekly digest: ${topic}`, L.embedTitle) });
    const papers = paperbot.papers();
    const paperIds = papers.map((paper) => paper.id);
    const previous = runs.lastPostedRun()?.paperIds;
    let newCount = 0;
    if (previous) {
      const known = new Set(previous);
      const added = papers.filter((paper) => !known.has(paper.id));
      newCount = added.length;
      if (added.length > 0) {
        const lines = added.slice(0, MAX_NEW_LISTED).map((paper) => `• ${markdownLink(truncate(paper.title, 180), paper.url)}`);
        if (added.length > MAX_NEW_LISTED) lines.push(`…and ${added.length - MAX_NEW_LISTED} more.`);
        const embed: APIEmbed = { title: `New since the last digest (${added.length})`, color: COLORS.info, fields: linesToFields('Papers', lines).slice(0, L.embedFields) };
        for (const group of packEmbeds([embed])) payloads.push({ embeds: group, components: [], allowedMentions: { parse: [] } });
      }
    }
    return { payloads, paperIds, newCount };
  };

  /** Renew the run's claim every DIGEST_CLAIM_RENEW_MS; `confirm()` renews now and throws if it was lost. */
  const keepClaim = (runKey: string) => {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    let lost = false;
    const renew = () => runs.renewClaim(runKey, owner, clock.now() + DIGEST_CLAIM_LEASE_MS);
    const schedule = () => {
      timer = clock.setTimeout(() => {
        if (renew()) schedule();
        else lost = true;
      }, DIGEST_CLAIM_RENEW_MS);
    };
    schedule();
    return {
      confirm() {
        if (lost || !renew()) throw new ClaimLostError(runKey);
      },
      stop() {
        if (timer !== undefined) clock.clearTimeout(timer);
      },
    };
  };

  /**
   * Claim → compose (or resume the run's saved draft) → post each missing part, recording it → complete.
   * A failure releases the claim so a later trigger retries; parts already posted are not sent again.
   */
  const postRun = async (runKey: string, kind: 'scheduled' | 'manual', scheduledFor: number | null): Promise<DigestOutcome> => {
    const channelId = runs.getDraft(runKey)?.channelId ?? settings().channelId;
    if (!channelId) {
      if (kind === 'manual') throw new UserFacingError('no-digest-channel', 'No digest channel is set. An admin can set one with /digest channel.');
      logger.warn({ event: 'digest-skipped', runKey }, 'digest due but no channel set (DIGEST_CHANNEL_ID or /digest channel)');
      return { posted: false, reason: 'no-channel' };
    }
    const claim = runs.claimRun({ runKey, kind, scheduledFor, owner, at: clock.now(), leaseMs: DIGEST_CLAIM_LEASE_MS });
    if (!claim.claimed) return claim.reason === 'posted' ? { posted: false, reason: 'already-posted' } : { posted: false, reason: 'in-progress', retryAt: claim.leaseUntil };
    const lease = keepClaim(runKey);
    try {
      let draft = runs.getDraft(runKey);
      if (draft) {
        const done = draft.parts.filter((part) => part.postedAt !== null).length;
        logger.info({ event: 'digest-resumed', runKey, postedParts: done, remainingParts: draft.parts.length - done }, 'resuming a digest that failed part-way');
      } else {
        const { topic, index } = nextTopic();
        const { payloads, paperIds, newCount } = await compose(topic);
        lease.confirm();
        draft = runs.saveDraft({ runKey, kind, topic, topicIndex: index, channelId, paperIds, newCount, payloads }, clock.now());
      }
      let messageId: string | null = null;
      for (const part of draft.parts) {
        if (part.postedAt === null) {
          lease.confirm();
          part.messageId = await deps.post(draft.channelId, [part.payload]);
          part.postedAt = clock.now();
          runs.markPartPosted(runKey, part.index, part.messageId, part.postedAt);
        }
        messageId ??= part.messageId;
      }
      const { topic, topicIndex, paperIds, newCount } = draft;
      if (!runs.completeRun(runKey, owner, { topic, channelId: draft.channelId, messageId, paperIds }, clock.now())) throw new ClaimLostError(runKey);
      settingsStore.set(KEYS.topicIndex, String(topicIndex + 1));
      logger.info({ event: 'digest-posted', runKey, topic, channelId: draft.channelId, newPapers: newCount, parts: draft.parts.length }, 'digest posted');
      return { posted: true, topic, channelId: draft.channelId, newPapers: newCount };
    } catch (error) {
      runs.abandonRun(runKey, owner);
      throw error;
    } finally {
      lease.stop();
    }
  };

  const tick = () =>
    serial(async (): Promise<DigestOutcome> => {
      const { cron, timezone } = settings();
      const activeSince = Number(settingsStore.get(KEYS.activeSince) ?? clock.now());
      const slot = dueScheduledRun({ pattern: cron, timezone, now: clock.now(), activeSince });
      if (slot === null) return { posted: false, reason: 'not-due' };
      return postRun(scheduledRunKey(slot), 'scheduled', slot);
    });

  /** Run a scheduled check again after `delayMs` on the service's clock. */
  const checkAgainIn = (delayMs: number, attempt: number) => {
    cancelRetry();
    retryTimer = clock.setTimeout(() => {
      retryTimer = undefined;
      if (!stopped) void runScheduled(attempt);
    }, delayMs);
  };

  /**
   * A scheduled check (cron timer, start-up, or a retry): a failure schedules a retry after
   * DIGEST_RETRY_DELAYS_MS[attempt]; a slot another live process is posting is checked again when its
   * claim would expire. Retries go through `tick`, so the run's claim (and its recorded parts)
   * guarantee nothing is posted twice. Ends with one `digest-check` log line.
   */
  const runScheduled = async (attempt: number): Promise<DigestOutcome | undefined> => {
    let outcome: DigestOutcome | undefined;
    try {
      outcome = await tick();
      cancelRetry();
      if (outcome.reason === 'in-progress' && outcome.retryAt !== undefined && !stopped) {
        const delayMs = Math.max(outcome.retryAt - clock.now(), MIN_RECHECK_MS);
        logger.info({ event: 'digest-claimed-elsewhere', delayMs }, 'another process is posting this digest; checking again when its claim expires');
        checkAgainIn(delayMs, attempt);
      }
    } catch (error) {
      const delayMs = DIGEST_RETRY_DELAYS_MS[attempt];
      if (stopped || error instanceof UserFacingError || delayMs === undefined) {
        logger.error({ err: error, event: 'digest-failed', attempt }, attempt > 0 ? 'scheduled digest failed; no retries left' : 'scheduled digest failed');
      } else {
        logger.warn({ err: error, event: 'digest-retry-scheduled', attempt: attempt + 1, delayMs }, 'scheduled digest failed; retrying later');
        checkAgainIn(delayMs, attempt + 1);
      }
    }
    logger[attempt > 0 ? 'info' : 'debug']({ event: 'digest-check', attempt, posted: outcome?.posted ?? false, reason: outcome?.reason ?? 'failed' }, 'scheduled digest check finished');
    return outcome;
  };

  const startSchedule = () => {
    job?.stop();
    job = undefined;
    if (stopped) return;
    const { cron, timezone } = settings();
    job = scheduler(cron, timezone, () => {
      if (stopped) return;
      void runScheduled(0);
    });
  };

  return {
    async start() {
      stopped = false;
      if (settingsStore.get(KEYS.activeSince) === undefined) settingsStore.set(KEYS.activeSince, String(clock.now()));
      let missedRun: string = 'failed';
      const outcome = await runScheduled(0);
      if (outcome) {
        missedRun = outcome.posted ? 'posted' : (outcome.reason ?? 'none');
        if (outcome.posted) logger.info({ event: 'digest-missed-run-posted', topic: outcome.topic }, 'posted a digest missed while the bot was down');
      }
      startSchedule();
      const { channelId, cron, timezone, nextRunAt } = settings();
      logger.info(
        { event: 'digest-scheduled', channelId, cron, timezone, nextRunAt: nextRunAt === null ? null : new Date(nextRunAt).toISOString(), missedRun },
        'digest schedule started',
      );
    },
    async stop(timeoutMs = 10_000) {
      stopped = true;
      cancelRetry();
      job?.stop();
      job = undefined;
      if (running === 0) return true;
      logger.info({ event: 'digest-stop-waiting', timeoutMs }, 'waiting for the digest being posted');
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = clock.setTimeout(() => resolve(false), timeoutMs);
      });
      // Whatever is queued while waiting (a /digest now still finishing) is waited for too.
      const idle = async (): Promise<true> => {
        while (running > 0) await chain;
        return true;
      };
      const finished = await Promise.race([idle(), timeout]);
      if (timer !== undefined) clock.clearTimeout(timer);
      if (!finished) logger.warn({ event: 'digest-stop-timeout', timeoutMs }, 'a digest still running at shutdown was abandoned');
      return finished;
    },
    tick,
    // A manual digest that failed part-way is finished (its missing parts) before a new one is composed.
    runNow: () =>
      serial(() => postRun(runs.unfinishedDraft('manual')?.runKey ?? `manual:${new Date(clock.now()).toISOString()}:${Math.random().toString(36).slice(2, 8)}`, 'manual', null)),
    async preview() {
      const { topic } = nextTopic();
      const { payloads } = await compose(topic);
      return { topic, payloads };
    },
    settings,
    setChannel(channelId) {
      settingsStore.set(KEYS.channel, channelId);
    },
    setTopics(topics) {
      const clean = topics.map((topic) => topic.trim()).filter(Boolean);
      if (clean.length === 0) settingsStore.delete(KEYS.topics);
      else settingsStore.set(KEYS.topics, JSON.stringify(clean));
      settingsStore.set(KEYS.topicIndex, '0');
    },
    setSchedule(cron, timezone) {
      validateSchedule(cron, timezone);
      settingsStore.set(KEYS.cron, cron);
      settingsStore.set(KEYS.timezone, timezone);
      // A new schedule starts now: it does not count earlier slots as missed.
      settingsStore.set(KEYS.activeSince, String(clock.now()));
      if (job) startSchedule();
    },
  };
}
