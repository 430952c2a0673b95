import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { BotConfig } from './load-bot-config.js';
import { shardClientOptions } from './shard-settings.js';
import { NO_MENTIONS_REPLY } from './discord-limits.js';

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
export function clientOptions(config: Pick<BotConfig, 'discord' | 'sharding'>, withMessageContent: boolean): ClientOptions {
  const options: ClientOptions = {
    ...shardClientOptions(config.sharding),
    intents: withMessageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : [...BASE_INTENTS],
    allowedMentions: NO_MENTIONS_REPLY,
  };
  if (config.discord.apiBase) options.rest = { api: config.discord.apiBase };
  return options;
}

/** A new client with logging handlers and `setUp`'s, logged in and READY (destroyed if login fails). */
async function loginClient(config: Pick<BotConfig, 'discord' | 'sharding'>, logger: Logger, withMessageContent: boolean, setUp: (client: Client) => void): Promise<Client> {
  const client = new Client(clientOptions(config, withMessageContent));
  client.on(Events.Error, (error) => logger.error({ err: error, event: 'client-error' }, 'discord.js client error'));
  client.on(Events.ShardError, (error, shardId) => logger.warn({ err: error, shardId, event: 'shard-error' }, 'gateway error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId, event: 'shard-disconnect' }, 'gateway disconnected'));
  client.on(Events.Warn, (message) => logger.warn({ event: 'client-warn' }, message));
  setUp(client);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.discord.token);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error;
  }
  return client;
}

/** The bot's gateway session: one discord.js client at a time, replaced when Discord forces it. */
export interface DiscordConnection {
  /** Log in (without MessageContent when Discord refuses it) and wait for READY. */
  open(): Promise<Client>;
  /** Stop reacting to gateway closes (a reconnection in progress is dropped), let `drain` finish, then disconnect. */
  close(drain?: () => Promise<void>): Promise<void>;
  /** The connected client (undefined before open / after close). */
  readonly client: Client | undefined;
  /** True when running without MessageContent: thread follow-ups must mention the bot. */
  readonly mentionOnly: boolean;
}

export interface DiscordConnectionOptions {
  config: Pick<BotConfig, 'discord' | 'sharding'>;
  logger: Logger;
  /** Attach the bot's event handlers to a new client. */
  wire(client: Client): void;
  /** The session is gone for good (a supervisor should restart the bot). */
  onFatal(error: Error): void;
}

/**
 * Logs in, and handles what discord.js leaves to the application: a 4014 close (Message Content not
 * allowed) reconnects without the intent; the other unrecoverable close codes are fatal.
 */
export function createDiscordConnection(options: DiscordConnectionOptions): DiscordConnection {
  const { config, logger } = options;
  let client: Client | undefined;
  let mentionOnly = false;
  let closing = false;

  const login = (withMessageContent: boolean) =>
    loginClient(config, logger, withMessageContent, (next) => {
      // During login the rejected login() says what went wrong; after READY nothing else will.
      next.on(Events.ShardDisconnect, (event) => {
        if (client === next && !closing) void onClosed(next, event.code);
      });
      options.wire(next);
    });

  /** discord.js stays offline after these codes: reconnect without MessageContent (4014), else fail so a supervisor restarts us. */
  const onClosed = async (closed: Client, code: number): Promise<void> => {
    const action = closeCodeAction(code);
    if (action === 'none') return;
    if (action === 'fatal' || mentionOnly) {
      logger.fatal({ event: 'gateway-fatal', code }, `the Discord gateway closed with ${code}, which discord.js does not recover from; exiting so the supervisor restarts the bot`);
      options.onFatal(new Error(`Discord gateway closed with unrecoverable code ${code}.`));
      return;
    }
    logger.warn({ event: 'message-content-disallowed', code }, MESSAGE_CONTENT_HELP);
    client = undefined;
    mentionOnly = true;
    await closed.destroy().catch(() => undefined);
    try {
      const next = await login(false);
      if (closing) return void (await next.destroy().catch(() => undefined));
      client = next;
      logger.info({ event: 'ready', user: next.user?.tag, guilds: next.guilds.cache.size, mentionOnly, reconnected: true }, 'bot reconnected without the Message Content intent');
    } catch (error) {
      logger.fatal({ err: error, event: 'gateway-fatal', code }, 'could not reconnect without the Message Content intent');
      options.onFatal(error instanceof Error ? error : new Error(String(error)));
    }
  };

  return {
    async open() {
      closing = false;
      try {
        client = await login(true);
        mentionOnly = false;
      } catch (error) {
        if (!isDisallowedIntentsError(error)) throw error;
        logger.warn({ event: 'message-content-disallowed' }, MESSAGE_CONTENT_HELP);
        mentionOnly = true;
        client = await login(false);
      }
      return client;
    },
    async close(drain) {
      closing = true;
      await drain?.();
      await client?.destroy();
      client = undefined;
    },
    get client() {
      return client;
    },
    get mentionOnly() {
      return mentionOnly;
    },
  };
}
