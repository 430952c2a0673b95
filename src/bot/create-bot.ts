import { createGapLog } from '../gaps/gap-log.js';
import type { Client } from 'discord.js';
import { Events } from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { Paperbot } from '../app/paperbot.js';
import { answerFollowUp } from './answer-follow-up.js';
import type { BotCommand, BotContext } from './bot-context.js';
import { systemClock, type Clock } from './clock.js';
import { createCooldown } from './cooldown.js';
import { createDigestService, type DigestService, type PostToChannel } from './digest/digest-service.js';
import type { CronScheduler } from './digest/digest-schedule.js';
import { createDiscordConnection } from './discord-connection.js';
import { createEventLoopTurns } from './event-loop-turns.js';
import { createInteractionHandler } from './handle-interaction.js';
import type { BotConfig } from './load-bot-config.js';
import type { StateStores } from '../state/state-stores.js';
import { createWorkTracker, type WorkTracker } from './work-tracker.js';
import { startIndexRefreshLoop } from './index-refresh-loop.js';
import { createFetchService, type FetchService } from './fetch/fetch-service.js';
import { createWatchNotifier } from './watch/notify-watches.js';
import { watchNoticeSender } from './watch/send-watch-notice.js';
import type { FeedTimers } from '../feeds/feed-timers.js';

/** Minimum ms between streamed edits of one message (smooth, and under Discord's 5 edits / 5 s). */
const STREAM_EDIT_INTERVAL_MS = 1_100;
/** How long stop() waits for answers in flight. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
/** One search and one suggestion before going online, so the first users do not pay one-off loading costs on the event loop. */
const WARM_UP_QUERY = 'masked autoencoders for video';

export interface CreateBotOptions {
  config: BotConfig;
  paperbot: Paperbot;
  /** Opened by the caller (openStateStores), who also closes them after stop(). */
  state: StateStores;
  logger: Logger;
  /** The slash commands (`allCommands()` from commands/index.ts). */
  commands: ReadonlyMap<string, BotCommand>;
  /** Time for cooldowns, streaming throttle and digests (default: the system clock). */
  clock?: Clock;
  /** Digest timer (default: croner). */
  digestScheduler?: CronScheduler;
  /** Fetch timer (default: croner). */
  fetchScheduler?: CronScheduler;
  /** Feed request timers: politeness waits and timeouts (default: real time). */
  feedTimers?: FeedTimers;
  /** Minimum ms between streamed edits of one message (default 1100). */
  streamEditIntervalMs?: number;
  /** How long stop() waits for answers in flight (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface Bot {
  /** Log in (retrying without the privileged MessageContent intent if Discord refuses it), then start digests. */
  start(): Promise<void>;
  /** Stop taking work, finish answers in flight (≤ shutdownTimeoutMs), stop digests, disconnect. Leaves the db open. */
  stop(): Promise<void>;
  /** The connected client (undefined before start / after stop). */
  readonly client: Client | undefined;
  /** True when running without MessageContent: thread follow-ups must mention the bot. */
  readonly mentionOnly: boolean;
  readonly digest: DigestService;
  /** Scheduled feed fetches (FETCH_CRON). */
  readonly fetch: FetchService;
  readonly context: BotContext;
  /**
   * Called when the bot can no longer work and should be restarted by its supervisor (e.g. the gateway
   * closed with 4004 authentication failed after READY, which discord.js does not recover from).
   */
  onFatal(listener: (error: Error) => void): void;
}

/** The services every handler gets (no singletons): the core, state, cooldown, clock, event-loop turns. */
function createBotContext(options: CreateBotOptions, digest: DigestService, logger: Logger, clock: Clock): BotContext {
  const { config, paperbot, state } = options;
  return {
    paperbot,
    config,
    threads: state.threads,
    feedback: state.feedback,
    gaps: createGapLog({ store: state.gaps, retentionDays: config.gaps.retentionDays, salt: config.gaps.salt, now: () => clock.now() }),
    digest,
    watches: state.watches,
    cooldown: createCooldown(config.discord.userCooldownSeconds, { clock, store: state.cooldowns, logger }),
    clock,
    logger,
    streamEditIntervalMs: options.streamEditIntervalMs ?? STREAM_EDIT_INTERVAL_MS,
    turns: createEventLoopTurns(),
  };
}

/** Posts digest messages through whatever client is connected now; returns the first message's id. */
function channelPoster(currentClient: () => Client | undefined): PostToChannel {
  return async (channelId, payloads) => {
    const client = currentClient();
    if (!client) throw new Error('The bot is not connected.');
    // allowUnknownGuild: under sharding, the digest channel's server may be another shard's.
    const channel = await client.channels.fetch(channelId, { allowUnknownGuild: true });
    if (!channel?.isSendable()) throw new Error(`Digest channel ${channelId} was not found or is not a text channel.`);
    let firstId: string | null = null;
    for (const payload of payloads) {
      const message = await channel.send(payload);
      firstId ??= message.id;
    }
    return firstId;
  };
}

/** Route a client's interactions to the central handler and its thread messages to follow-ups, as tracked work. */
function wireHandlers(client: Client, deps: { context: BotContext; commands: ReadonlyMap<string, BotCommand>; tracker: WorkTracker; mentionOnly: () => boolean }): void {
  const { context, tracker } = deps;
  const handleInteraction = createInteractionHandler({ commands: deps.commands, ctx: context, tracker });
  const crashed = (event: string) => (error: unknown) => context.logger.error({ err: error, event }, 'handler crashed');
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction).catch(crashed('handler-crashed')));
  client.on(Events.MessageCreate, (message) => {
    if (!tracker.accepting || message.author.bot) return;
    void tracker.track(() => answerFollowUp(message, client, context, deps.mentionOnly())).catch(crashed('follow-up-crashed'));
  });
}

/** The bot's composition root: the services, the Discord session and the handlers, over a Paperbot core. */
export function createBot(options: CreateBotOptions): Bot {
  const { config, paperbot } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'bot' });
  const tracker = createWorkTracker();
  const fatalListeners: ((error: Error) => void)[] = [];
  let indexLoop: { stop(): void } | undefined;
  const digestLogger = logger.child({ component: 'digest' });
  const digest = createDigestService({ paperbot, digests: options.state.digests, fetchRuns: options.state.fetchRuns, settings: options.state.settings, config: config.digest, clock, logger: digestLogger, post: channelPoster(() => session.client), scheduler: options.digestScheduler });
  const context = createBotContext(options, digest, logger, clock);
  const notifyWatches = createWatchNotifier({ paperbot, watches: options.state.watches, send: watchNoticeSender(() => session.client), clock, logger: logger.child({ component: 'watch' }) });
  const fetch = createFetchService({
    paperbot,
    runs: options.state.fetchRuns,
    config: config.fetch,
    clock,
    logger: logger.child({ component: 'fetch' }),
    scheduler: options.fetchScheduler,
    timers: options.feedTimers,
    onFetched: async (outcome, runKey) => void (await notifyWatches(outcome, runKey)),
  });
  const session = createDiscordConnection({
    config,
    logger,
    wire: (client) => wireHandlers(client, { context, commands: options.commands, tracker, mentionOnly: () => session.mentionOnly }),
    onFatal: (error) => fatalListeners.forEach((listener) => listener(error)),
  });

  return {
    async start() {
      if (!config.discord.token) throw new Error('DISCORD_TOKEN is not set.');
      await paperbot.search(WARM_UP_QUERY, { k: 1 });
      await paperbot.suggestPapers(WARM_UP_QUERY, 1);
      const client = await session.open();
      logger.info({ event: 'ready', user: client.user?.tag, guilds: client.guilds.cache.size, mentionOnly: session.mentionOnly, papers: paperbot.paperCount(), llm: paperbot.llmEnabled }, 'bot ready');
      indexLoop = startIndexRefreshLoop(paperbot);
      await digest.start();
      await fetch.start();
    },
    async stop() {
      const timeoutMs = options.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS;
      indexLoop?.stop();
      // Answers in flight and a digest being posted finish (bounded) before the client goes away.
      await session.close(async () => {
        const [drained] = await Promise.all([tracker.drain(timeoutMs), digest.stop(timeoutMs), fetch.stop(timeoutMs)]);
        if (!drained) logger.warn({ event: 'shutdown-timeout', inFlight: tracker.inFlight }, 'answers still running at shutdown were abandoned');
      });
      logger.info({ event: 'stopped' }, 'bot stopped');
    },
    get client() {
      return session.client;
    },
    get mentionOnly() {
      return session.mentionOnly;
    },
    digest,
    fetch,
    context,
    onFatal(listener) {
      fatalListeners.push(listener);
    },
  };
}
