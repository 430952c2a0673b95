import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { Paperbot } from '../app/paperbot.js';
import type { Config } from '../config.js';
import { answerFollowUp } from './answer-follow-up.js';
import type { BotCommand, BotContext } from './bot-context.js';
import { systemClock, type Clock } from './clock.js';
import { createCooldown } from './cooldown.js';
import { createDigestService, type DigestService, type PostToChannel } from './digest/digest-service.js';
import type { CronScheduler } from './digest/digest-schedule.js';
import { NO_MENTIONS_REPLY } from './discord-limits.js';
import { createEventLoopTurns } from './event-loop-turns.js';
import { createInteractionHandler } from './handle-interaction.js';
import type { StateDatabase } from './state/open-state-database.js';
import { ThreadStore } from './state/thread-store.js';
import { createWorkTracker } from './work-tracker.js';

export interface CreateBotOptions {
  config: Config;
  paperbot: Paperbot;
  /** Opened by the caller (openStateDatabase), who also closes it after stop(). */
  db: StateDatabase;
  logger: Logger;
  /** Time for cooldowns, streaming throttle and digests (default: the system clock). */
  clock?: Clock;
  /** Digest timer (default: croner). Tests pass a fake and call `bot.digest.tick()`. */
  digestScheduler?: CronScheduler;
  /** Minimum ms between streamed edits of one message (default 1100: under Discord's 5 edits / 5 s). */
  streamEditIntervalMs?: number;
  /** How long stop() waits for answers in flight (default 10 s). */
  shutdownTimeoutMs?: number;
  /** The slash commands (`allCommands()` from commands/index.ts). */
  commands: ReadonlyMap<string, BotCommand>;
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
  readonly context: BotContext;
  /**
   * Called when the bot can no longer work and should be restarted by its supervisor (e.g. the gateway
   * closed with 4004 authentication failed after READY, which discord.js does not recover from).
   */
  onFatal(listener: (error: Error) => void): void;
}

export const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] as const;

export const MESSAGE_CONTENT_HELP =
  'Discord refused the privileged Message Content intent (close code 4014). Running without it: in threads, ' +
  'the bot answers only messages that @mention it. To enable it: https://discord.com/developers/applications → ' +
  'your application → Bot → Privileged Gateway Intents → turn on "Message Content Intent" → Save, then restart the bot.';

/**
 * Gateway close codes discord.js 14 does not reconnect after (4004 authentication failed, 4010 invalid
 * shard, 4011 sharding required, 4012 invalid API version, 4013 invalid intents, 4014 disallowed intents).
 */
export const UNRECOVERABLE_CLOSE_CODES: ReadonlySet<number> = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

/** What to do when the gateway closes after READY: reconnect without MessageContent on 4014, give up on the other fatal codes. */
export function closeCodeAction(code: number): 'drop-message-content' | 'fatal' | 'none' {
  if (code === 4014) return 'drop-message-content';
  return UNRECOVERABLE_CLOSE_CODES.has(code) ? 'fatal' : 'none';
}

/** True for the error discord.js 14 gives when the gateway closes with 4014 (disallowed intents). */
export function isDisallowedIntentsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /disallowed intents/i.test(error.message) || (error as { code?: unknown }).code === 4014 || (error as { code?: unknown }).code === 'DisallowedIntents';
}

/** The discord.js client options: intents, no mentions by default, the REST base from DISCORD_API_BASE. */
export function clientOptions(config: Config, withMessageContent: boolean): ClientOptions {
  const options: ClientOptions = {
    intents: withMessageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : [...BASE_INTENTS],
    allowedMentions: NO_MENTIONS_REPLY,
  };
  if (config.discord.apiBase) options.rest = { api: config.discord.apiBase };
  return options;
}

/** One search and one suggestion before going online, so the first users do not pay one-off loading costs on the event loop. */
async function warmUp(paperbot: Paperbot): Promise<void> {
  await paperbot.search(WARM_UP_QUERY, { k: 1 });
  paperbot.suggestPapers(WARM_UP_QUERY, 1);
}

const WARM_UP_QUERY = 'masked autoencoders for video';

/** The bot's composition root: discord.js client + handlers + services, over a Paperbot core. */
export function createBot(options: CreateBotOptions): Bot {
  const { config, paperbot, db } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'bot' });
  const tracker = createWorkTracker();
  const { commands } = options;
  let client: Client | undefined;
  let mentionOnly = false;
  let stopping = false;
  const fatalListeners: ((error: Error) => void)[] = [];
  const fail = (error: Error) => {
    for (const listener of fatalListeners) listener(error);
  };

  const post: PostToChannel = async (channelId, payloads) => {
    if (!client) throw new Error('The bot is not connected.');
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`Digest channel ${channelId} was not found or is not a text channel.`);
    let firstId: string | null = null;
    for (const payload of payloads) {
      const message = await channel.send(payload);
      firstId ??= message.id;
    }
    return firstId;
  };

  const digest = createDigestService({ paperbot, db, config: config.digest, clock, logger: logger.child({ component: 'digest' }), post, scheduler: options.digestScheduler });

  const context: BotContext = {
    paperbot,
    config,
    db,
    threads: new ThreadStore(db),
    digest,
    cooldown: createCooldown(config.discord.userCooldownSeconds, clock),
    clock,
    logger,
    streamEditIntervalMs: options.streamEditIntervalMs ?? 1100,
    turns: createEventLoopTurns(),
  };
  const handleInteraction = createInteractionHandler({ commands, ctx: context, tracker });

  const connect = async (withMessageContent: boolean): Promise<Client> => {
    const next = new Client(clientOptions(config, withMessageContent));
    next.on(Events.Error, (error) => logger.error({ err: error, event: 'client-error' }, 'discord.js client error'));
    next.on(Events.ShardError, (error, shardId) => logger.warn({ err: error, shardId, event: 'shard-error' }, 'gateway error'));
    next.on(Events.ShardDisconnect, (event, shardId) => {
      logger.warn({ code: event.code, shardId, event: 'shard-disconnect' }, 'gateway disconnected');
      // During login the rejected login() says what went wrong; after READY nothing else will.
      if (client === next && !stopping) void onUnrecoverableClose(next, event.code);
    });
    next.on(Events.Warn, (message) => logger.warn({ event: 'client-warn' }, message));
    next.on(Events.InteractionCreate, (interaction) => {
      void handleInteraction(interaction).catch((error: unknown) => logger.error({ err: error, event: 'handler-crashed' }, 'interaction handler crashed'));
    });
    next.on(Events.MessageCreate, (message) => {
      if (!tracker.accepting || message.author.bot) return;
      void tracker.track(() => answerFollowUp(message, next, context, mentionOnly)).catch((error: unknown) => logger.error({ err: error, event: 'follow-up-crashed' }, 'follow-up handler crashed'));
    });
    const ready = new Promise<void>((resolve) => next.once(Events.ClientReady, () => resolve()));
    try {
      await next.login(config.discord.token);
      await ready;
    } catch (error) {
      await next.destroy().catch(() => undefined);
      throw error;
    }
    return next;
  };

  /** discord.js stays offline after these codes: reconnect without MessageContent (4014), else fail so a supervisor restarts us. */
  const onUnrecoverableClose = async (closed: Client, code: number): Promise<void> => {
    const action = closeCodeAction(code);
    if (action === 'none') return;
    if (action === 'drop-message-content' && !mentionOnly) {
      logger.warn({ event: 'message-content-disallowed', code }, MESSAGE_CONTENT_HELP);
      client = undefined;
      mentionOnly = true;
      await closed.destroy().catch(() => undefined);
      try {
        const next = await connect(false);
        if (stopping) {
          await next.destroy().catch(() => undefined);
          return;
        }
        client = next;
        logger.info({ event: 'ready', user: next.user?.tag, guilds: next.guilds.cache.size, mentionOnly, reconnected: true }, 'bot reconnected without the Message Content intent');
      } catch (error) {
        logger.fatal({ err: error, event: 'gateway-fatal', code }, 'could not reconnect without the Message Content intent');
        fail(error instanceof Error ? error : new Error(String(error)));
      }
      return;
    }
    logger.fatal({ event: 'gateway-fatal', code }, `the Discord gateway closed with ${code}, which discord.js does not recover from; exiting so the supervisor restarts the bot`);
    fail(new Error(`Discord gateway closed with unrecoverable code ${code}.`));
  };

  return {
    async start() {
      stopping = false;
      if (!config.discord.token) throw new Error('DISCORD_TOKEN is not set.');
      await warmUp(paperbot);
      try {
        client = await connect(true);
        mentionOnly = false;
      } catch (error) {
        if (!isDisallowedIntentsError(error)) throw error;
        logger.warn({ event: 'message-content-disallowed' }, MESSAGE_CONTENT_HELP);
        mentionOnly = true;
        client = await connect(false);
      }
      logger.info({ event: 'ready', user: client.user?.tag, guilds: client.guilds.cache.size, mentionOnly, papers: paperbot.papers().length, llm: paperbot.llmEnabled }, 'bot ready');
      await digest.start();
    },
    async stop() {
      stopping = true;
      const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
      // Answers in flight and a digest being posted finish (bounded) before the client goes away.
      const [drained] = await Promise.all([tracker.drain(timeoutMs), digest.stop(timeoutMs)]);
      if (!drained) logger.warn({ event: 'shutdown-timeout', inFlight: tracker.inFlight }, 'answers still running at shutdown were abandoned');
      await client?.destroy();
      client = undefined;
      logger.info({ event: 'stopped' }, 'bot stopped');
    },
    get client() {
      return client;
    },
    get mentionOnly() {
      return mentionOnly;
    },
    digest,
    context,
    onFatal(listener) {
      fatalListeners.push(listener);
    },
  };
}
